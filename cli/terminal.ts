/** Whether a person is at the keyboard: prompts only then. */
export function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY);
}
