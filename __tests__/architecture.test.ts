/**
 * The layers stay layers: lint refuses an import against their direction
 * (eslint.layers.js), and no two folders import each other, directly or
 * round a longer loop.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const ROOT = path.resolve(__dirname, '..');

/** The product's folders, constructs by concern. */
const FOLDERS = ['model', 'tenants/registry', 'tenants', 'constructs/policy', 'constructs/variables', 'constructs/cdktf', 'constructs/postgres', 'constructs/docker', 'constructs/kubernetes', 'constructs/mongodb', 'constructs/atlas', 'constructs/aws', 'constructs/stacks', 'ops', 'synth', 'cli', 'testbed', 'bench'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(file);
    return name.endsWith('.ts') ? [file] : [];
  });
}

/** The folder of FOLDERS a file belongs to (the longest match), or undefined. */
function folderOf(file: string): string | undefined {
  const relative = path.relative(ROOT, file).split(path.sep).join('/');
  return FOLDERS.filter((folder) => relative === folder || relative.startsWith(`${folder}/`)).sort((a, b) => b.length - a.length)[0];
}

/** Folder → the folders its files import from. */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>(FOLDERS.map((folder) => [folder, new Set()]));
  for (const folder of FOLDERS) {
    for (const file of sourceFiles(path.join(ROOT, folder))) {
      if (folderOf(file) !== folder) continue;
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)) {
        const target = folderOf(path.resolve(path.dirname(file), spec));
        if (target && target !== folder) graph.get(folder)?.add(target);
      }
    }
  }
  return graph;
}

/** Every cycle of folders, each as the path round it. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  const found: string[][] = [];
  const visit = (node: string, trail: string[]) => {
    for (const next of graph.get(node) ?? []) {
      if (next === trail[0]) found.push([...trail, next]);
      else if (!trail.includes(next) && next > trail[0]) visit(next, [...trail, next]);
    }
  };
  for (const start of graph.keys()) visit(start, [start]);
  return found;
}

describe('the architecture', () => {
  it('has no folders that import each other, directly or round a loop', () => {
    const graph = folderGraph();
    expect(cycles(graph)).toEqual([]);
    // Not vacuous: the graph has the edges of the layers.
    expect([...(graph.get('constructs/stacks') ?? [])]).toEqual(expect.arrayContaining(['model', 'tenants/registry', 'constructs/postgres', 'constructs/aws']));
  });

  const leaks: [string, string, string, string][] = [
    ['model', 'model/leak.ts', "import { TenantStack } from '../constructs/stacks/tenant-stack';", 'model is the bottom layer'],
    ['ops', 'ops/leak.ts', "import { TenantRoles } from '../constructs/postgres/tenant-roles';", 'ops stand on model and the registry only'],
    ['ops into synthesis', 'ops/leak.ts', "import { synthesizeFleet } from '../synth/fleet-synthesis';", 'ops stand on model and the registry only'],
    ['synthesis into the CLI', 'synth/leak.ts', "import { runTenants } from '../cli/program';", 'synthesis stands on constructs, ops'],
    ['the registry', 'tenants/registry/leak.ts', "import { migrateTenant } from '../../ops/fleet';", 'the registry stands on model only'],
    ['policy rules', 'constructs/policy/leak.ts', "import { TenantRds } from '../aws/tenant-rds';", 'policy rules stand on model only'],
    ['kubernetes constructs', 'constructs/kubernetes/leak.ts', "import { TenantStack } from '../stacks/tenant-stack';", 'kubernetes constructs stand on model and policy only'],
    ['the CLI past the registry index', 'cli/leak.ts', "import { resolveTenant } from '../tenants/registry/validate';", 'import the registry through tenants/registry'],
    ['the benchmark', 'bench/leak.ts', "import { startCluster } from '../__tests__/support/tenant-db';", 'the benchmark never imports the tests'],
  ];
  // ESLint runs as lint runs, in a process of its own (Jest's module system cannot load its configuration), once for every case.
  const linted = (() => {
    const script = `
      const { ESLint } = require('eslint');
      const cases = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
      const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
      Promise.all(cases.map(([file, code]) => eslint.lintText(code, { filePath: require('node:path').join(${JSON.stringify(ROOT)}, file) })))
        .then((results) => process.stdout.write(JSON.stringify(results.map(([r]) => r.messages.filter((m) => m.ruleId === 'import/no-restricted-paths').map((m) => m.message)))));`;
    const input = JSON.stringify(leaks.map(([, file, code]) => [file, `${code}\nexport const used = [${code.match(/\{ (\w+) \}/)?.[1]}];\n`]));
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, input, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as string[][];
  })();

  test.each(leaks.map((leak, index) => [...leak, index] as const))('refuses in lint an import against the direction: %s', (_what, _file, _code, message, index) => {
    expect(linted[index]).toEqual([expect.stringContaining(message)]);
  });
});
