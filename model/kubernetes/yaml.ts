/** The plain-manifest rendering: every object as one YAML document, for `kubectl apply -f -` or a GitOps repository. */
import { stringify } from 'yaml';
import { type KubernetesManifests, manifestList } from './manifests';

/** The objects as a multi-document YAML stream, in apply order. */
export function renderManifestsYaml(manifests: KubernetesManifests): string {
  return manifestList(manifests)
    .map((object) => `---\n${stringify(object, { lineWidth: 0 })}`)
    .join('');
}
