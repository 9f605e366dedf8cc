import { Annotations, DefaultTokenResolver, type IAspect, StringConcat, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { policyViolation, policyWarning, suppressionWithoutReason } from './messages';
import type { PolicyContext, PolicyRule, ResourceView } from './policy-rule';

const SUPPRESSION = 'usualstore:policy-suppression';

/** Resolves values as synthesis does, without preparing (which would add cross-stack outputs). */
const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** A suppression as it is recorded on a construct. */
export interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  /** Only these findings (their exact text); every finding of the rule when absent. */
  readonly findings?: readonly string[];
}

/**
 * Exempts a construct (and everything under it) from one rule, with the
 * reason on record, as cdk-nag's suppressions do. With `findings`, only
 * those findings (their exact text, as the rule reports them) are exempt and
 * any other finding of the rule still fails synthesis, as cdk-nag's
 * `appliesTo`. The aspect reports each suppression as an info annotation, so
 * it stays visible.
 */
export function suppressPolicy(scope: IConstruct, ruleId: string, reason: string, findings?: readonly string[]): void {
  if (!reason.trim()) throw new Error(suppressionWithoutReason(scope.node.path, ruleId));
  scope.node.addMetadata(SUPPRESSION, { ruleId, reason, ...(findings && { findings: [...findings] }) } satisfies Suppression);
}

/** The suppressions of a rule that apply to a construct: its own and its scopes'. */
function suppressionsOf(node: IConstruct, ruleId: string): Suppression[] {
  return node.node.scopes.flatMap((scope) =>
    scope.node.metadata.filter((m) => m.type === SUPPRESSION && (m.data as Suppression).ruleId === ruleId).map((m) => m.data as Suppression),
  );
}

type Element = TerraformResource | TerraformDataSource;

function isElement(node: IConstruct): node is Element {
  return node instanceof TerraformResource || node instanceof TerraformDataSource;
}

function synthesizedConfig(element: Element): Record<string, unknown> {
  const json = element.toTerraform() as { resource?: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, Record<string, Record<string, unknown>>> };
  const byType = (json.resource ?? json.data ?? {})[element.terraformResourceType] ?? {};
  const [config] = Object.values(byType);
  return config ?? {};
}

/** Per stack, its default AWS provider; per provider, its default tags: the same for every resource, so found once. */
const defaultProviders = new WeakMap<TerraformStack, TerraformProvider | undefined>();
const providerTags = new WeakMap<TerraformProvider, Record<string, string>>();

function defaultTagsOf(element: Element): Record<string, string> {
  if (!element.terraformResourceType.startsWith('aws_')) return {};
  const stack = TerraformStack.of(element);
  if (!element.provider && !defaultProviders.has(stack)) {
    defaultProviders.set(
      stack,
      stack.node.findAll().find((c): c is TerraformProvider => c instanceof TerraformProvider && c.terraformResourceType === 'aws' && !c.alias),
    );
  }
  const provider = element.provider ?? defaultProviders.get(stack);
  if (!provider) return {};
  if (!providerTags.has(provider)) {
    const [config] = (provider.toTerraform() as { provider: Record<string, Record<string, unknown>[]> }).provider.aws ?? [];
    const blocks = (config?.default_tags as { tags?: Record<string, string> }[] | undefined) ?? [];
    providerTags.set(provider, Object.assign({}, ...blocks.map((block) => block.tags ?? {})));
  }
  return providerTags.get(provider) as Record<string, string>;
}

function addressOf(element: Element): string {
  return `${element instanceof TerraformDataSource ? 'data.' : ''}${element.terraformResourceType}.${element.friendlyUniqueId}`;
}

/**
 * Elements of a whole app by type, built on first use per app: aspects run
 * after every stack is built, so the tree no longer grows, and one index
 * serves every tenant's aspect.
 */
const appIndexes = new WeakMap<IConstruct, { readonly elements: readonly Element[]; readonly views: Map<string, readonly ResourceView[]> }>();

function acrossStacks(scope: IConstruct, type: string): readonly ResourceView[] {
  const root = scope.node.root;
  let index = appIndexes.get(root);
  if (!index) {
    index = { elements: root.node.findAll().filter(isElement), views: new Map() };
    appIndexes.set(root, index);
  }
  if (!index.views.has(type)) index.views.set(type, index.elements.filter((e) => e.terraformResourceType === type).map(resourceView));
  return index.views.get(type) as readonly ResourceView[];
}

/** The element as rules see it. */
export function resourceView(element: Element): ResourceView {
  return {
    kind: element instanceof TerraformDataSource ? 'data' : 'resource',
    type: element.terraformResourceType,
    address: addressOf(element),
    config: synthesizedConfig(element),
    taggable: 'tagsInput' in element,
    defaultTags: defaultTagsOf(element),
  };
}

/**
 * A context over plain views, for rules checked without a construct tree:
 * values are taken as already resolved.
 */
export function viewContext(elements: readonly ResourceView[], acrossStacks: readonly ResourceView[] = elements): PolicyContext {
  return { elements, resolve: (value) => value, acrossStacks: (type) => acrossStacks.filter((e) => e.type === type) };
}

/**
 * Applies policy rules to every resource and data source, of every
 * provider, at synth time. A finding becomes an error annotation on the
 * element (a warning for a warning-level rule), which fails `cdktf synth`
 * (and `app.synth()`) with the rule id, its reason and the fix.
 */
export class PolicyAspect implements IAspect {
  /** The rules of each type, filtered once per type. */
  private readonly rulesByType = new Map<string, readonly PolicyRule[]>();
  /** Each stack's elements as views, built once per stack. */
  private readonly contexts = new WeakMap<TerraformStack, PolicyContext>();

  constructor(private readonly rules: readonly PolicyRule[]) {}

  visit(node: IConstruct): void {
    if (!isElement(node)) return;
    const type = node.terraformResourceType;
    if (!this.rulesByType.has(type)) this.rulesByType.set(type, this.rules.filter((rule) => rule.appliesTo === '*' || rule.appliesTo.includes(type)));
    const rules = this.rulesByType.get(type) as readonly PolicyRule[];
    if (!rules.length) return;
    const context = this.contextOf(TerraformStack.of(node));
    const address = addressOf(node);
    const view = context.elements.find((e) => e.address === address) ?? resourceView(node);
    for (const rule of rules) {
      const findings = rule.check(view, context);
      if (!findings.length) continue;
      const covers = (s: Suppression, finding: string) => !s.findings || s.findings.includes(finding);
      const suppressions = suppressionsOf(node, rule.id).filter((s) => findings.some((finding) => covers(s, finding)));
      const open = findings.filter((finding) => !suppressions.some((s) => covers(s, finding)));
      for (const s of suppressions) Annotations.of(node).addInfo(`${rule.id} suppressed: ${s.reason}`);
      if (!open.length) continue;
      if (rule.level === 'warning') Annotations.of(node).addWarning(policyWarning(rule.id, rule.reason, open.join('; ')));
      else Annotations.of(node).addError(policyViolation(rule.id, rule.reason, open.join('; ')));
    }
  }

  private contextOf(stack: TerraformStack): PolicyContext {
    let context = this.contexts.get(stack);
    if (!context) {
      const elements = stack.node.findAll().filter(isElement).map(resourceView);
      context = { elements, resolve: (value) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER }), acrossStacks: (type) => acrossStacks(stack, type) };
      this.contexts.set(stack, context);
    }
    return context;
  }
}
