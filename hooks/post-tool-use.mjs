// Claude Code PostToolUse hook: rea's checks for the agent's own tools (see src/hooks/post-tool-use.ts).
// Anything but exit 2 lets the call through, so even a failure to load rea denies.
import('../dist/hooks-bundle/post-tool-use.js')
  .then((hook) => hook.runPostToolUse())
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`rea PostToolUse hook could not start, so the call is refused: ${error?.message ?? error}\n`);
    process.exitCode = 2;
  });
