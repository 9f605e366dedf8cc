import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { type Command, Option } from 'commander';
import { formatProblem } from '../../model/problems';
import { importTenants, parseTfvars } from '../../ops/import-tfvars';
import { displayPath } from '../../tenants/registry';
import { registryImportFor, renderTenantFile } from '../../tenants/registry';
import { CommandFailed, UsageError } from '../errors';
import { writeFilesOrNone } from '../files';
import type { CliIo } from '../io';
import { registry } from '../registry';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1024 || n > 65535) throw new UsageError(`--port-start "${value}" must be a whole number from 1024 to 65535`);
  return n;
}

/** `tenants import-tfvars <file>`: the original system's customers as tenant files in adoption mode. */
export function registerImportTfvars(program: Command, io: CliIo): void {
  program
    .command('import-tfvars')
    .description("write a tenant file (in adoption mode) for every customer of the original system's .tfvars; passwords are dropped")
    .argument('<file>', 'the original .tfvars with a tenants = { ... } map')
    .addOption(new Option('--port-start <port>', 'first host port to give the imported docker apps (the next free ones follow)').argParser(port).default(4001))
    .option('--dry-run', 'check everything and show the tenant files it would write, but write nothing')
    .action(async (file: string, options: { portStart: number; dryRun?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
      }
      const reg = registry(io.env);
      const parsed = await parseTfvars(file, text);
      if (!parsed.document) throw new CommandFailed(formatProblem(parsed.problem as NonNullable<typeof parsed.problem>));
      const result = importTenants(file, parsed.document, reg, options.portStart);
      if (result.problems.length) {
        throw new CommandFailed(
          `${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${file}; nothing was written:\n` +
            result.problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
        );
      }
      const files = result.definitions.map((definition) => [path.join(reg.dir, `${definition.key}.ts`), renderTenantFile(definition, registryImportFor(reg.dir))] as const);
      if (options.dryRun) {
        io.stdout.write(
          [
            io.colour.bold(`--dry-run: would write ${files.length} tenant file${files.length === 1 ? '' : 's'} in adoption mode (nothing was written):`),
            ...files.map(([written, content]) => `${io.colour.bold(`--- ${displayPath(written)}`)}\n${content}`),
            `${result.droppedPasswords} password${result.droppedPasswords === 1 ? '' : 's'} in ${path.basename(file)} would be dropped; none is copied.`,
            '',
          ].join('\n'),
        );
        return;
      }
      try {
        writeFilesOrNone(files);
      } catch (error) {
        throw new CommandFailed(`could not write every tenant file, so none was kept: ${(error as Error).message}`);
      }
      const written = files.map(([file]) => file);
      io.stdout.write(
        [
          io.colour.green(`Wrote ${written.length} tenant file${written.length === 1 ? '' : 's'} in adoption mode: ${written.map(displayPath).join(', ')}.`),
          `Dropped ${result.droppedPasswords} password${result.droppedPasswords === 1 ? '' : 's'} from ${path.basename(file)}; none was copied. ` +
            'The new roles get generated passwords on deploy.',
          ...(result.ignoredSettings.length ? [`Ignored ${result.ignoredSettings.join(', ')}: the connection comes from PGHOST, PGUSER and PGPASSWORD at deploy time.`] : []),
          'Next, for each tenant:',
          '  bash scripts/cdktf.sh diff <key>      # imports the existing database; creates roles and grants; never destroys it',
          '  bash scripts/cdktf.sh deploy <key>    # then adopts the objects and applies only the missing migrations',
          'The original bare-username roles are kept and lose their privileges; `npx tenants show <key>` lists them (see the README to retire them).',
          '',
        ].join('\n'),
      );
    });
}
