import { type Statement, documentStatements, jsonStatements, statementName } from '../iam-statements';
import { type PolicyRule, referenced, referrers } from '../policy-rule';

/** What using a key means: the actions that read or produce what it protects. */
const USE_ACTIONS = /^(kms:\*|\*|kms:(Decrypt|Encrypt|ReEncrypt\w*|GenerateDataKey\w*|CreateGrant))$/;

/** A principal standing for the whole account (or anyone): every IAM policy in it can then use the key. */
const isAccountWide = (principal: string) => /^AWS:(\*|\d{12}|.*:root)$/.test(principal);

function openToAccount(statements: readonly Statement[]): string[] {
  return statements.flatMap((statement, index) => {
    if (statement.effect === 'Deny' || !statement.principals.some(isAccountWide)) return [];
    const uses = statement.actions.filter((a) => USE_ACTIONS.test(String(a)));
    if (!uses.length || statement.conditions.some((c) => c.endsWith(' kms:ViaService'))) return [];
    return [`${statementName(statement, index)} lets any IAM principal of the account ${uses.map(String).join(', ')} directly, without a kms:ViaService condition`];
  });
}

/** A tenant's key serves only that tenant's services. */
export const kmsKeyPolicy: PolicyRule = {
  id: 'KMS-KEY-POLICY',
  reason:
    "A KMS key must have an explicit key policy (its own policy or an aws_kms_key_policy) that lets the account use it only through the services that need it (kms:ViaService): AWS's default policy lets anyone with kms:* in IAM decrypt it.",
  appliesTo: ['aws_kms_key'],
  check: (key, context) => {
    const [attached] = referrers(context, key, ['aws_kms_key_policy'], 'key_id');
    const policy = key.config.policy ?? attached?.config.policy;
    if (policy === undefined) return ["no key policy: the key has AWS's default policy; set policy, or add an aws_kms_key_policy referring to the key"];
    const document = referenced(context, policy);
    const statements = document?.type === 'aws_iam_policy_document' ? documentStatements(document.config) : jsonStatements(policy);
    return openToAccount(statements);
  },
};
