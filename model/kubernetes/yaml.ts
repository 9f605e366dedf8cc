/** The plain-manifest rendering: every object as one YAML document, for `kubectl apply -f -` or a GitOps repository. */
import { stringify } from 'yaml';
import { type KubernetesManifests, manifestList } from './manifests';

/** How to render. */
export interface ManifestsYamlOptions {
  /**
   * Leave out the API's Secret, for users who create it from their own secret store.
   * @default false
   */
  readonly withoutSecret?: boolean;
}

/** The objects as a multi-document YAML stream, in apply order. */
export function renderManifestsYaml(manifests: KubernetesManifests, options: ManifestsYamlOptions = {}): string {
  return manifestList(manifests)
    .filter((object) => !(options.withoutSecret && object === manifests.apiEnvironment))
    .map((object) => `---\n${stringify(object, { lineWidth: 0 })}`)
    .join('');
}
