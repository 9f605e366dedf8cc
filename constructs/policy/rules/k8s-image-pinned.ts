import { containersOf, podSpecOf, POD_WORKLOAD_TYPES } from '../kubernetes-pods';
import { type PolicyRule, isUnresolved } from '../policy-rule';

/** `[registry[:port]/]path[:tag][@digest]`: the tag and digest of an image reference. */
function reference(image: string): { tag?: string; digest?: string } {
  const [name, digest] = image.split('@');
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  return { ...(colon >= 0 && { tag: lastSegment.slice(colon + 1) }), ...(digest && { digest }) };
}

/** Every container runs an image that cannot change under it. */
export const k8sImagePinned: PolicyRule = {
  id: 'K8S-IMAGE-PINNED',
  reason:
    'Every container image must be pinned by a version tag or a digest, never "latest" or no tag (which means latest): a moving tag runs other code on the next pod start. Pin ghcr.io/usualstore/api:<version> or @sha256:<digest>.',
  appliesTo: POD_WORKLOAD_TYPES,
  check: (element) =>
    containersOf(podSpecOf(element)).flatMap(({ label, config }) => {
      const image = config.image;
      if (isUnresolved(image)) return [];
      if (typeof image !== 'string' || image === '') return [`${label} names no image`];
      const { tag, digest } = reference(image);
      if (digest) return [];
      if (tag === undefined) return [`${label} runs ${JSON.stringify(image)}, without a tag (latest)`];
      return tag === 'latest' ? [`${label} runs ${JSON.stringify(image)}`] : [];
    }),
};
