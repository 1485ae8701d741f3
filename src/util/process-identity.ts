import * as fs from 'fs';

/**
 * A process's ID with its start time (`<pid>.<clock ticks since boot>`, from `/proc`), which tells
 * it from a later process that got the same ID; `<pid>.0` where there is no `/proc`. Undefined
 * when no such process runs.
 */
export function processIdentity(pid: number): string | undefined {
  if (!isRunning(pid)) {
    return undefined;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count the fields after its last ')'.
    const startTime = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    return `${pid}.${startTime}`;
  } catch {
    return `${pid}.0`;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
