/**
 * Shell completion: what to offer for the word under the cursor, read from
 * the program's own commands, options and arguments, with tenant keys from
 * the registry's file names (not loaded, so a broken registry still completes).
 * The scripts `tenants completion bash|zsh` prints ask `tenants __complete`.
 */
import * as path from 'node:path';
import type { Command, Option } from 'commander';
import { KEY_PATTERN } from '../model/naming';
import { tenantFiles } from '../tenants/registry';

/** The hidden command the shell scripts call with the words typed after `tenants`. */
export const COMPLETE_COMMAND = '__complete';

/** What to offer: these words, or file names (left to the shell). */
export interface Completion {
  readonly kind: 'words' | 'files';
  readonly words: readonly string[];
}

/** Options whose value is a path. */
const PATH_OPTIONS: readonly string[] = ['--out', '--schema-dir'];

/** The shells `tenants completion` writes a script for. */
export const SHELLS = ['bash', 'zsh'] as const;

/** The tenant keys in a registry directory, by file name; none when it cannot be read. */
export function registryKeys(dir: string): string[] {
  try {
    return tenantFiles(dir)
      .map((file) => path.basename(file, '.ts'))
      .filter((key) => KEY_PATTERN.test(key));
  } catch {
    return [];
  }
}

function takesValue(option: Option | undefined): boolean {
  return Boolean(option && (option.required || option.optional));
}

function optionOf(command: Command, word: string): Option | undefined {
  const flag = word.split('=')[0];
  return command.options.find((o) => o.long === flag || o.short === flag);
}

/**
 * What to offer for the last of `words` (the words after `tenants`, the last
 * one being the partial word under the cursor, possibly empty).
 */
export function complete(program: Command, words: readonly string[], keys: () => readonly string[]): Completion {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const offer = (candidates: readonly string[]): Completion => ({ kind: 'words', words: candidates.filter((c) => c.startsWith(current)) });
  const commands = program.commands.map((c) => c.name());

  const at = before.findIndex((word) => !word.startsWith('-'));
  if (at === -1) return offer(current.startsWith('-') ? ['--help', '--version'] : commands);
  const command = program.commands.find((c) => c.name() === before[at]);
  if (!command) return offer([]);

  // The words after the command: options (with the value of those that take one) and positional arguments.
  const rest = before.slice(at + 1);
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!word.startsWith('-')) positional.push(word);
    else if (takesValue(optionOf(command, word)) && !word.includes('=')) {
      if (i === rest.length - 1) {
        // The cursor is on this option's value.
        return PATH_OPTIONS.includes(word) ? { kind: 'files', words: [] } : offer([]);
      }
      i++;
    }
  }
  if (current.startsWith('-')) {
    const given = new Set(rest);
    return offer([...command.options.map((o) => o.long).filter((flag): flag is string => Boolean(flag) && !given.has(flag as string)), '--help']);
  }
  const args = command.registeredArguments;
  const argument = args[Math.min(positional.length, args.length - 1)];
  if (!argument || (positional.length >= args.length && !argument.variadic)) return offer([]);
  switch (argument.name()) {
    case 'key':
    case 'keys':
      return offer(keys().filter((key) => !positional.includes(key)));
    case 'command':
      return offer(commands);
    case 'shell':
      return offer(SHELLS);
    default:
      return { kind: 'files', words: [] };
  }
}

/** A shell word in single quotes. */
function quoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The completion script for a shell. It also defines a `tenants` function
 * running this checkout's bin from anywhere, unless a `tenants` command exists.
 */
export function completionScript(shell: (typeof SHELLS)[number], bin: string): string {
  const run = `node ${quoted(bin)}`;
  if (shell === 'bash') {
    return [
      '# bash completion for tenants (usual-store-tenants), written by `npx tenants completion bash`.',
      '# Load it from ~/.bashrc:  source <(cd /path/to/usual-store-tenants && npx tenants completion bash)',
      '# It defines a `tenants` command for this checkout unless one exists.',
      `command -v tenants >/dev/null 2>&1 || tenants() { ${run} "$@"; }`,
      '_tenants_complete() {',
      '  local reply',
      `  reply=$(${run} ${COMPLETE_COMMAND} "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) || return 0`,
      '  local -a lines',
      '  mapfile -t lines <<<"$reply"',
      '  if [[ ${lines[0]} == files ]]; then',
      '    compopt -o filenames 2>/dev/null',
      '    mapfile -t COMPREPLY < <(compgen -f -- "${COMP_WORDS[COMP_CWORD]}")',
      '  else',
      '    COMPREPLY=("${lines[@]:1}")',
      '  fi',
      '}',
      'complete -F _tenants_complete tenants',
      '',
    ].join('\n');
  }
  return [
    '# zsh completion for tenants (usual-store-tenants), written by `npx tenants completion zsh`.',
    '# Load it from ~/.zshrc, after compinit:  source <(cd /path/to/usual-store-tenants && npx tenants completion zsh)',
    '# It defines a `tenants` command for this checkout unless one exists.',
    `(( $+commands[tenants] || $+functions[tenants] )) || tenants() { ${run} "$@"; }`,
    '_tenants() {',
    '  local -a reply',
    `  reply=("\${(@f)$(${run} ${COMPLETE_COMMAND} "\${(@)words[2,CURRENT]}" 2>/dev/null)}")`,
    '  if [[ ${reply[1]} == files ]]; then',
    '    _files',
    '  else',
    '    compadd -- "${(@)reply[2,-1]}"',
    '  fi',
    '}',
    'compdef _tenants tenants',
    '',
  ].join('\n');
}
