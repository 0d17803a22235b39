// Preloaded with NODE_OPTIONS="--import …/cpu-profile.preload.mjs" by `npm run bench -- --profile
// DIR` (Node 20 refuses --cpu-prof in NODE_OPTIONS): profiles the process from start to exit and
// writes DIR/<pid>.cpuprofile, readable in Chrome DevTools or speedscope.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.TALLY_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  // The main-thread session answers synchronously, so this completes inside the exit handler.
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
