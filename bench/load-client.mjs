/**
 * The load generator of bench/learning.ts, run in a worker thread so that it does not share the server's event
 * loop: node:http with keep-alive agents. Two modes:
 *   schedule — every member sends a progress heartbeat every `interval` s (spread evenly over the interval), and
 *              the library readers each open the library once, spread over the run; latency of every request.
 *   max      — `concurrency` connections send requests back to back for `seconds`; throughput and latency.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { mode, baseUrl } = workerData;
const url = new URL(baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: workerData.maxSockets ?? 256 });

function request(method, path, headers, body) {
  return new Promise((resolve) => {
    const started = performance.now();
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        agent,
        headers: { ...headers, ...(data ? { 'content-type': 'application/json', 'content-length': data.length } : {}) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', () => resolve({ ms: performance.now() - started, status: 0 }));
    if (data) req.write(data);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const heartbeatOf = (m, position) =>
  request(
    'POST',
    '/api/learning/progress',
    { cookie: m.cookie, 'x-csrf-token': m.csrf },
    { contentId: m.contentId, position, duration: m.duration },
  );

async function schedule() {
  const { members, readers, seconds, interval } = workerData;
  const out = { heartbeat: [], library: [], heartbeatStatus: {}, libraryStatus: {} };
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const tasks = [];
  members.forEach((m, i) => {
    tasks.push(
      (async () => {
        await sleep((i / members.length) * interval * 1000);
        for (let k = 0; performance.now() < end; k++) {
          const r = await heartbeatOf(m, Math.min(m.duration, k * interval));
          out.heartbeat.push(r.ms);
          out.heartbeatStatus[r.status] = (out.heartbeatStatus[r.status] ?? 0) + 1;
          await sleep(
            Math.max(0, t0 + (i / members.length) * interval * 1000 + (k + 1) * interval * 1000 - performance.now()),
          );
        }
      })(),
    );
  });
  readers.forEach((m, j) => {
    tasks.push(
      (async () => {
        await sleep((j / readers.length) * seconds * 1000 * 0.9);
        const r = await request('GET', '/api/learning/content?pageSize=20', { cookie: m.cookie });
        out.library.push(r.ms);
        out.libraryStatus[r.status] = (out.libraryStatus[r.status] ?? 0) + 1;
      })(),
    );
  });
  await Promise.all(tasks);
  return out;
}

async function max() {
  const { concurrency, seconds, target, members } = workerData;
  const latencies = [];
  const status = {};
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const worker = async (w) => {
    for (let k = 0; performance.now() < end; k++) {
      let r;
      if (target === 'trivial') r = await request('GET', '/ping', {});
      else {
        const m = members[(w + k * concurrency) % members.length];
        r = await heartbeatOf(m, (k * 7) % m.duration);
      }
      n++;
      latencies.push(r.ms);
      status[r.status] = (status[r.status] ?? 0) + 1;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  return { requests: n, seconds: (performance.now() - t0) / 1000, latencies, status };
}

const result = mode === 'schedule' ? await schedule() : await max();
agent.destroy();
parentPort.postMessage(result);
