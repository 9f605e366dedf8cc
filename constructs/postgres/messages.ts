/** Messages of constructs used with inconsistent input (a programming error, not a user's). */
export const constructErrors = {
  unknownRole: (path: string, role: string) => `${path}: the access model names role "${role}", which it does not define; build roles and grants from one accessModel()`,
  noPassword: (path: string, role: string) => `${path}: role "${role}" has no generated password; only LOGIN roles have one`,
} as const;
