/**
 * The cdktf CLI as the README runs it (`npm run synth`, `bash scripts/cdktf.sh`):
 * with the project's Terraform CLI configuration, no calls to HashiCorp, and
 * the provider mirror of this machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from './helpers';

describe('npm run synth through the cdktf CLI, as the README runs it', () => {
  it("gives Terraform the project's CLI configuration when the machine's names a missing file, so nothing is reported but the stacks", () => {
    mkdirSync(path.join(PROJECT_ROOT, 'cdktf.out'), { recursive: true });
    const outdir = mkdtempSync(path.join(PROJECT_ROOT, 'cdktf.out', 'test-cli-'));
    try {
      const result = spawnSync('npm', ['run', '--silent', 'synth', '--', '--output', outdir], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
        env: { ...process.env, TF_CLI_CONFIG_FILE: path.join(outdir, 'no-such-terraformrc') },
      });
      const printed = `${result.stdout}${result.stderr}`;
      expect(result.status).toBe(0);
      expect(printed).not.toMatch(/CLI configuration|ERROR|checkpoint/i);
      expect(printed).toContain('Generated Terraform code for the stacks');
      expect(readdirSync(path.join(outdir, 'stacks'))).toContain('building_shop');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
