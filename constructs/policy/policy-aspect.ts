import { Annotations, type IAspect, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { policyViolation, suppressionWithoutReason } from '../errors';
import type { PolicyRule, ResourceView } from './policy-rule';

const SUPPRESSION = 'usualstore:policy-suppression';

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
}

/**
 * Exempts a construct (and everything under it) from one rule, with the
 * reason on record, as cdk-nag's suppressions do. The aspect reports each
 * suppression as an info annotation, so it stays visible.
 */
export function suppressPolicy(scope: IConstruct, ruleId: string, reason: string): void {
  if (!reason.trim()) throw new Error(suppressionWithoutReason(scope.node.path, ruleId));
  scope.node.addMetadata(SUPPRESSION, { ruleId, reason } satisfies Suppression);
}

function suppressionOf(node: IConstruct, ruleId: string): Suppression | undefined {
  for (const scope of node.node.scopes.slice().reverse()) {
    const entry = scope.node.metadata.find((m) => m.type === SUPPRESSION && (m.data as Suppression).ruleId === ruleId);
    if (entry) return entry.data as Suppression;
  }
  return undefined;
}

function synthesizedConfig(resource: TerraformResource): Record<string, unknown> {
  const { resource: byType } = resource.toTerraform() as { resource: Record<string, Record<string, Record<string, unknown>>> };
  const [config] = Object.values(byType[resource.terraformResourceType]);
  return config;
}

/** Per stack, its default AWS provider; per provider, its default tags: the same for every resource, so found once. */
const defaultProviders = new WeakMap<TerraformStack, TerraformProvider | undefined>();
const providerTags = new WeakMap<TerraformProvider, Record<string, string>>();

function defaultTagsOf(resource: TerraformResource): Record<string, string> {
  const stack = TerraformStack.of(resource);
  if (!resource.provider && !defaultProviders.has(stack)) {
    defaultProviders.set(
      stack,
      stack.node.findAll().find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformResourceType === 'aws' && !c.alias),
    );
  }
  const provider = resource.provider ?? defaultProviders.get(stack);
  if (!provider) return {};
  if (!providerTags.has(provider)) {
    const [config] = (provider.toTerraform() as { provider: Record<string, Record<string, unknown>[]> }).provider.aws ?? [];
    const blocks = (config?.default_tags as { tags?: Record<string, string> }[] | undefined) ?? [];
    providerTags.set(provider, Object.assign({}, ...blocks.map((block) => block.tags ?? {})));
  }
  return providerTags.get(provider) as Record<string, string>;
}

/** The resource as rules see it. */
export function resourceView(resource: TerraformResource): ResourceView {
  return {
    type: resource.terraformResourceType,
    config: synthesizedConfig(resource),
    taggable: 'tagsInput' in resource,
    defaultTags: defaultTagsOf(resource),
  };
}

/**
 * Applies policy rules to every AWS resource at synth time. A finding
 * becomes an error annotation on the resource, which fails `cdktf synth`
 * (and `app.synth()`) with the rule id, its reason and the fix.
 */
export class PolicyAspect implements IAspect {
  /** The rules of each resource type, filtered once per type. */
  private readonly rulesByType = new Map<string, readonly PolicyRule[]>();

  constructor(private readonly rules: readonly PolicyRule[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) || !node.terraformResourceType.startsWith('aws_')) return;
    const type = node.terraformResourceType;
    if (!this.rulesByType.has(type)) this.rulesByType.set(type, this.rules.filter((rule) => rule.appliesTo === '*' || rule.appliesTo.includes(type)));
    const rules = this.rulesByType.get(type) as readonly PolicyRule[];
    if (!rules.length) return;
    const view = resourceView(node);
    for (const rule of rules) {
      const findings = rule.check(view);
      if (!findings.length) continue;
      const suppression = suppressionOf(node, rule.id);
      if (suppression) Annotations.of(node).addInfo(`${rule.id} suppressed: ${suppression.reason}`);
      else Annotations.of(node).addError(policyViolation(rule.id, rule.reason, findings.join('; ')));
    }
  }
}
