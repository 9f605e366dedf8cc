// The layers of the project, from the ground up, as import rules (eslint-plugin-import's
// no-restricted-paths): a folder never imports from a layer above it, so no two folders import
// each other. docs/architecture.md draws the same picture.
//
//   model                      pure: names, plans, defaults, the access model and its SQL, the app's environment
//   tenants/registry           loads and validates tenant files into model types
//   constructs                 cdktf: policy, variables, postgres, docker, kubernetes, mongodb, atlas, aws, cdktf (tuning) below stacks
//   ops                        live servers, no cdktf; the fleet review's comparison
//   synth                      synthesis of the fleet: the per-tenant cache, split across processes
//   cli, main.ts               compose and print
//   testbed, bench, __tests__  throwaway servers for tests and the benchmark; the benchmark; the tests

const TOP = ['./cli', './main.ts'];
const SYNTH = './synth';
const TOOLS = ['./bench', './testbed', './__tests__'];

/** `{ target, from, message }` for each folder. */
const layerZones = [
  { target: './model', from: ['./tenants', './constructs', './ops', SYNTH, ...TOP, ...TOOLS], message: 'model is the bottom layer: pure, importing nothing of the project but model.' },
  { target: './tenants', from: ['./constructs', './ops', SYNTH, ...TOP, ...TOOLS], message: 'the registry stands on model only.' },
  { target: './constructs', from: ['./ops', SYNTH, ...TOP, ...TOOLS], message: 'constructs stand on model and the registry only.' },
  { target: './ops', from: ['./constructs', SYNTH, ...TOP, ...TOOLS], message: 'ops stand on model and the registry only (no cdktf).' },
  { target: SYNTH, from: [...TOP, ...TOOLS], message: 'synthesis stands on constructs, ops, the registry and model; main.ts and the CLI use it.' },
  { target: './cli', from: ['./main.ts', ...TOOLS], message: 'the CLI is the top layer; it never imports tests, bench or testbed.' },
  { target: './testbed', from: ['./constructs', './ops', ...TOP, './bench', './__tests__'], message: 'testbed stands on model only.' },
  { target: './bench', from: ['./__tests__', './main.ts'], message: 'the benchmark never imports the tests (shared servers are in testbed/).' },
  // Outside the registry, only its index: its files are its own business.
  {
    target: ['./model', './constructs', './ops', SYNTH, './cli', './main.ts', './bench', './testbed', './servers'],
    from: './tenants/registry',
    except: ['./index.ts'],
    message: 'import the registry through tenants/registry (its index), not its files.',
  },
  // Inside constructs: policy, variables and cdktf at the bottom; postgres, docker, kubernetes, mongodb and atlas on them; aws on policy; stacks on top.
  { target: './constructs/policy', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/kubernetes', './constructs/variables', './constructs/cdktf', './constructs/mongodb', './constructs/atlas'], message: 'policy rules stand on model only.' },
  { target: './constructs/variables', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/kubernetes', './constructs/policy', './constructs/cdktf', './constructs/mongodb', './constructs/atlas'], message: 'variables stand on model only.' },
  { target: './constructs/cdktf', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/kubernetes', './constructs/policy', './constructs/variables', './constructs/mongodb', './constructs/atlas'], message: 'the cdktf tuning stands alone.' },
  { target: './constructs/postgres', from: ['./constructs/aws', './constructs/stacks', './constructs/docker', './constructs/kubernetes', './constructs/cdktf', './constructs/mongodb', './constructs/atlas'], message: 'postgres constructs never import AWS, Docker, Kubernetes, MongoDB or stacks.' },
  { target: './constructs/docker', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/kubernetes', './constructs/cdktf', './constructs/mongodb', './constructs/atlas'], message: 'docker constructs never import AWS, postgres, Kubernetes, MongoDB or stacks.' },
  { target: './constructs/aws', from: ['./constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/kubernetes', './constructs/cdktf', './constructs/mongodb', './constructs/atlas'], message: 'AWS constructs never import stacks, postgres, Docker, Kubernetes or MongoDB.' },
  { target: './constructs/kubernetes', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/variables', './constructs/cdktf', './constructs/mongodb', './constructs/atlas'], message: 'kubernetes constructs stand on model and policy only: never AWS, postgres, Docker, MongoDB, variables or stacks.' },
  { target: './constructs/mongodb', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/kubernetes', './constructs/cdktf', './constructs/atlas'], message: 'MongoDB constructs (passwords) never import AWS, Docker, postgres, Kubernetes, Atlas or stacks.' },
  { target: './constructs/atlas', from: ['./constructs/aws', './constructs/stacks', './constructs/postgres', './constructs/docker', './constructs/kubernetes', './constructs/cdktf', './constructs/mongodb'], message: 'Atlas constructs never import AWS, Docker, postgres, Kubernetes, MongoDB or stacks constructs.' },
];

module.exports = { layerZones };
