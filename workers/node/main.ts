// `npm run worker`: a worker process without the web server. Runs the same step loop as the
// embedded worker; SIGTERM/SIGINT stop taking work and hand running steps back to the queue.
import { StepRunner } from './step-runner';
import { handlers } from './handlers';

const runner = new StepRunner({ handlers });
await runner.start();
console.log(`worker ${runner.workerId} started`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`worker ${runner.workerId} stopping (${signal})`);
    void runner.stop().then(() => process.exit(0));
  });
}
