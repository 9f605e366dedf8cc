/** Messages of import-tfvars about the original system's .tfvars. */

/** Rule texts for the original system's .tfvars (import-tfvars). */
export const tfvarsRules = {
  noTenantsMap: () => 'is missing or not a map of customers; the file must set tenants = { <key> = { ... } }',
  unknownLegacyField: (known: readonly string[]) => `is not a field of the original format; remove it (known: ${known.join(', ')})`,
  alreadyInRegistry: (tenantFile: string) =>
    `is already in the registry (${tenantFile}); tenant files are never overwritten: remove it from the .tfvars or from the registry`,
  notHcl: (reason: string) => `is not valid HCL: ${reason}`,
} as const;
