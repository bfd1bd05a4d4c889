/**
 * Which other processes hold a file open for writing, as far as Linux's /proc shows (processes of
 * other users are visible only to root; on other systems the answer is always "none known").
 * --fix replaces a file by renaming a new one over it; a process that keeps the old file open and
 * writes to it afterwards would write into a file no longer at that path, so such a file is left
 * alone.
 */
import fs from 'node:fs';

/** The ids of other processes with a descriptor open for writing on the file `stat` describes. */
export function writersOf(stat: { dev: number; ino: number }): number[] {
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      try {
        const s = fs.statSync(`/proc/${pid}/fd/${fd}`);
        if (s.ino !== stat.ino || s.dev !== stat.dev) continue;
        const flags = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'));
        // O_WRONLY (1) or O_RDWR (2) in the access mode bits
        if (flags && (parseInt(flags[1]!, 8) & 3) !== 0) {
          out.push(Number(pid));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return out;
}
