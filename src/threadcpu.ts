/**
 * The CPU time of one thread of this process, where the system reports it (Linux, through
 * /proc): what a scan worker's file is charged against its time budget, so that a loaded machine
 * (other processes, the other workers) does not make a file look slow that is not. Elsewhere the
 * engine falls back to wall time.
 */
import fs from 'node:fs';

/** The kernel's id of the calling thread; 0 when the system does not say (not Linux). */
export function currentThreadId(): number {
  try {
    // "<pid>/task/<tid>"
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : 0;
  } catch {
    return 0;
  }
}

/** /proc reports times in clock ticks of 1/100 s on every Linux architecture (USER_HZ). */
const MS_PER_TICK = 10;

/**
 * Milliseconds of CPU (user and system) that thread `tid` of this process has used, to 10 ms;
 * undefined when unknown (no such thread any more, or not Linux).
 */
export function threadCpuMs(tid: number): number | undefined {
  if (!tid) return undefined;
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  // the command name (field 2) is in parentheses and may hold spaces: fields are counted after it;
  // utime and stime are fields 14 and 15, the 12th and 13th after the name
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ticks) ? ticks * MS_PER_TICK : undefined;
}
