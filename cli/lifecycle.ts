/**
 * A tenant's lifecycle, written into its file: `offboarding` (set by
 * `offboard`), `maintenance` (set by `maintenance`), back to `active` by
 * removing the line the command added, so the file is again what it was,
 * byte for byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatProblem } from '../model/problems';
import { type Tenant, type TenantLifecycle, checkRegistry, loadTenantFileEditor, serversDir } from '../tenants/registry';
import { CommandFailed } from './errors';
import type { CliIo } from './io';
import { changedLines } from './output';

/** The comment on the line a command adds to a tenant file, by which going back to active finds and removes it. */
function note(key: string, lifecycle: Exclude<TenantLifecycle, 'active'>): string {
  return lifecycle === 'offboarding'
    ? `set by \`npx tenants offboard\`; \`npx tenants offboard ${key} --cancel\` removes it`
    : `set by \`npx tenants maintenance\`; \`npx tenants maintenance ${key} --off\` removes it`;
}

/**
 * The tenant file with the lifecycle set: a line added (or the value the
 * file gives changed); active removes a line a command added, or else sets the value.
 */
async function withLifecycle(text: string, file: string, key: string, lifecycle: TenantLifecycle): Promise<string> {
  // Loaded here: the TypeScript compiler takes a third of a second to load.
  const { removeAddedField, setTenantField } = await loadTenantFileEditor();
  if (lifecycle === 'active') {
    for (const added of ['offboarding', 'maintenance'] as const) {
      const removed = removeAddedField(text, 'lifecycle', note(key, added), file);
      if (removed !== undefined) return removed;
    }
    return setTenantField(text, 'lifecycle', 'active', note(key, 'offboarding'), file);
  }
  return setTenantField(text, 'lifecycle', lifecycle, note(key, lifecycle), file);
}

/**
 * Sets the tenant's lifecycle in its file, keeping the rest; restores the
 * file if the registry then fails. With `dryRun`, only shows the change.
 */
export async function setLifecycle(dir: string, tenant: Tenant, lifecycle: TenantLifecycle, io: CliIo, dryRun: boolean | undefined): Promise<void> {
  const file = path.join(dir, `${tenant.key}.ts`);
  const original = readFileSync(file, 'utf8');
  const edited = await withLifecycle(original, file, tenant.key, lifecycle);
  if (dryRun) {
    io.stdout.write(`${io.colour.bold(`--dry-run: would change ${tenant.file} (nothing was written):`)}\n${changedLines(original, edited)}`);
    return;
  }
  writeFileSync(file, edited);
  const { problems } = checkRegistry(dir, serversDir(io.env));
  if (problems.length) {
    writeFileSync(file, original);
    throw new CommandFailed(`the edited registry has problems, so ${file} was restored:\n${problems.map((p) => `  - ${formatProblem(p)}`).join('\n')}`);
  }
}
