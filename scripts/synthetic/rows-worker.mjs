// Worker entry: Node 20 does not pass tsx's loader to worker threads, so the worker registers it itself.
import { register } from 'tsx/esm/api';

register();
await import('./rows-worker.ts');
