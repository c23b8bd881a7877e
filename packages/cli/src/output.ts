/**
 * `sluice search x | head -2` closes the pipe early: stop writing quietly instead of dying
 * with an EPIPE stack. Whatever was asked for has been printed by then.
 */
export function guardClosedStdout(stream: NodeJS.WriteStream = process.stdout) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

/** "1 document", "2 documents", "0 documents". */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : plural}`;
}
