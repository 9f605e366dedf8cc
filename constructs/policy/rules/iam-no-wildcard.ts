import { type Statement, documentStatements, jsonStatements, statementName } from '../iam-statements';
import { type PolicyContext, type PolicyRule, type ResourceView, blocks, referrers } from '../policy-rule';

/** Policies written as JSON text on these resources; references to policy documents are checked at the document. */
const JSON_POLICIES: Readonly<Record<string, string>> = {
  aws_iam_policy: 'policy',
  aws_iam_role_policy: 'policy',
  aws_iam_user_policy: 'policy',
  aws_iam_group_policy: 'policy',
};

const show = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).join(', ');

function wildcards(statements: readonly Statement[], keyPolicy: boolean): string[] {
  return statements.flatMap((statement, index) => {
    if (statement.effect === 'Deny') return [];
    const name = statementName(statement, index);
    const findings: string[] = [];
    const wildActions = statement.actions.filter((a) => String(a).includes('*'));
    if (wildActions.length) findings.push(`${name} allows the wildcard action${wildActions.length > 1 ? 's' : ''} ${show(wildActions)}`);
    if (statement.notActions.length) findings.push(`${name} allows every action but ${show(statement.notActions)}`);
    // In a key policy, "*" is the key itself.
    if (!keyPolicy && statement.resources.includes('*')) findings.push(`${name} allows ${show(statement.actions)} on resource "*"`);
    if (statement.notResources.length) findings.push(`${name} allows every resource but ${show(statement.notResources)}`);
    return findings;
  });
}

function isKeyPolicy(document: ResourceView, context: PolicyContext): boolean {
  return referrers(context, document, ['aws_kms_key', 'aws_kms_key_policy'], 'policy').length > 0;
}

/** Least privilege, stated action by action and resource by resource. */
export const iamNoWildcard: PolicyRule = {
  id: 'IAM-NO-WILDCARD',
  reason:
    'An IAM policy must not allow wildcard actions or every resource ("*"): name each action and resource, or suppress the finding with the reason the action takes no resource.',
  appliesTo: ['aws_iam_policy_document', ...Object.keys(JSON_POLICIES), 'aws_iam_role'],
  check: (element, context) => {
    if (element.type === 'aws_iam_policy_document') return wildcards(documentStatements(element.config), isKeyPolicy(element, context));
    if (element.type === 'aws_iam_role') return blocks(element.config.inline_policy).flatMap((p) => wildcards(jsonStatements(p.policy), false));
    return wildcards(jsonStatements(element.config[JSON_POLICIES[element.type]]), false);
  },
};
