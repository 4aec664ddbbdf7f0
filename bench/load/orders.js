#!/usr/bin/env node
// Order load generator for bench_gateway.py: Node.js and @grpc/grpc-js, so the load costs the
// 2-core machine far less CPU than a Python client would and the gateway is what is measured.
// Each pod sends market orders either one call each (unary SubmitOrder, next order after the
// answer) or through an order-entry session (StreamOrders) keeping `window` orders in flight.
// Prints one JSON line: orders answered, seconds, and submit-to-answer latencies in ms.
// With --rate the load is open: orders are sent on a fixed schedule (rate per second over all
// pods, for --seconds) whatever the answers, so latency is measured at that offered load and not
// at saturation; every failed call or refused order is counted in `errors`.
//
// Usage: node bench/load/orders.js --address 127.0.0.1:PORT --pods 20 --orders 20000
//          --mode session --window 8 --token-prefix t
//        node bench/load/orders.js --address 127.0.0.1:PORT --pods 20 --rate 500 --seconds 60
'use strict';

const path = require('path');
const grpc = require(path.resolve(__dirname, '..', '..', 'node_modules', '@grpc', 'grpc-js'));
const protoLoader = require(path.resolve(__dirname, '..', '..', 'node_modules', '@grpc', 'proto-loader'));

const PROTO_ROOT = path.resolve(__dirname, '..', '..', 'proto');
const definition = protoLoader.loadSync('slipstream/v1/gateway.proto', {
  keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_ROOT],
});
const { GatewayService } = grpc.loadPackageDefinition(definition).slipstream.v1;

function parseArgs(argv) {
  const args = {
    address: null, pods: 1, orders: 1000, mode: 'unary', window: 1, list: 1, tokenPrefix: 't', warmup: 50,
    rate: 0, seconds: 10,
  };
  for (let i = 2; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--address') args.address = value;
    else if (key === '--pods') args.pods = Number(value);
    else if (key === '--orders') args.orders = Number(value);
    else if (key === '--mode') args.mode = value;
    else if (key === '--window') args.window = Number(value);
    else if (key === '--list') args.list = Number(value);
    else if (key === '--token-prefix') args.tokenPrefix = value;
    else if (key === '--warmup') args.warmup = Number(value);
    else if (key === '--rate') args.rate = Number(value);
    else if (key === '--seconds') args.seconds = Number(value);
    else throw new Error(`unknown option ${key}`);
  }
  if (!args.address || !['unary', 'session'].includes(args.mode)) throw new Error('--address and --mode unary|session');
  return args;
}

const DECISION_TIME = { seconds: String(Date.UTC(2026, 0, 1) / 1000), nanos: 0 };

function order(prefix, n) {
  return {
    client_order_id: `${prefix}${n}`, symbol: 'BTC/USDT', side: n % 2 ? 'ORDER_SIDE_BUY' : 'ORDER_SIDE_SELL',
    type: 'ORDER_TYPE_MARKET', quantity: '0.001', decision_price: '50000', decision_time: DECISION_TIME,
  };
}

function check(order) {
  if (order.status !== 'ORDER_STATUS_FILLED') throw new Error(`order ${order.client_order_id}: ${order.status} ${order.reject_message}`);
}

function metadataFor(token) {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
}

function unaryPod(client, metadata, prefix, count, latencies) {
  return new Promise((resolve, reject) => {
    let n = 0;
    const next = () => {
      if (n === count) return resolve();
      const started = process.hrtime.bigint();
      client.SubmitOrder(order(prefix, n++), metadata, { deadline: Date.now() + 10000 }, (error, answer) => {
        if (error) return reject(error);
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        try { check(answer.order); } catch (failure) { return reject(failure); }
        next();
      });
    };
    next();
  });
}

// `list` orders per message (an order list when above 1); `window` messages in flight.
function sessionPod(client, metadata, prefix, count, window, list, latencies) {
  return new Promise((resolve, reject) => {
    const call = client.StreamOrders(metadata);
    const sentAt = new Map();
    const messages = Math.ceil(count / list);
    let sent = 0;
    let answered = 0;
    const fill = () => {
      while (sent < messages && sent - answered < window) {
        sentAt.set(String(sent), process.hrtime.bigint());
        if (list === 1) call.write({ request_id: String(sent), submit: order(prefix, sent) });
        else {
          const orders = Array.from({ length: list }, (_, i) => order(prefix, sent * list + i));
          call.write({ request_id: String(sent), submit_list: { orders } });
        }
        sent += 1;
      }
      if (sent === messages) call.end();
    };
    call.on('data', (answer) => {
      const latency = Number(process.hrtime.bigint() - sentAt.get(answer.request_id)) / 1e6;
      sentAt.delete(answer.request_id);
      answered += 1;
      const orders = answer.result === 'submitted' ? [answer.submitted.order]
        : answer.result === 'submitted_list' ? answer.submitted_list.results.map((r) => r.order) : null;
      if (orders === null) return reject(new Error(`request ${answer.request_id}: ${JSON.stringify(answer.error)}`));
      for (const placed of orders) {
        latencies.push(latency);
        try { check(placed); } catch (failure) { return reject(failure); }
      }
      if (sent < messages) fill();
    });
    call.on('error', reject);
    call.on('end', () => (answered === messages ? resolve() : reject(new Error(`${answered} of ${messages} answered`))));
    fill();
  });
}

async function run(clients, args, round, perPod, latencies) {
  return Promise.all(clients.map(({ client, metadata }, pod) => {
    const prefix = `${round}-${pod}-`;
    return args.mode === 'unary'
      ? unaryPod(client, metadata, prefix, perPod, latencies)
      : sessionPod(client, metadata, prefix, perPod, args.window, args.list, latencies);
  }));
}

// Open load: messages of `list` orders leave on schedule, round-robin over the pods, each pod
// on its own order-entry session (or unary calls); answers are awaited only at the end.
function openLoop(clients, args, round, latencies) {
  const messagesPerSecond = args.rate / args.list;
  const total = Math.round(messagesPerSecond * args.seconds);
  const sessions = args.mode === 'session' ? clients.map(({ client, metadata }) => client.StreamOrders(metadata)) : [];
  const sentAt = new Map();
  let errors = 0;
  let answered = 0;
  let sent = 0;
  return new Promise((resolve) => {
    const settle = () => {
      answered += 1;
      if (answered === total) {
        sessions.forEach((call) => call.end());
        resolve(errors);
      }
    };
    const record = (key, orders) => {
      const latency = Number(process.hrtime.bigint() - sentAt.get(key)) / 1e6;
      sentAt.delete(key);
      for (const placed of orders) {
        latencies.push(latency);
        if (placed.status !== 'ORDER_STATUS_FILLED') errors += 1;
      }
      settle();
    };
    sessions.forEach((call, pod) => {
      call.on('data', (answer) => {
        const key = `${pod}:${answer.request_id}`;
        if (answer.result === 'submitted') record(key, [answer.submitted.order]);
        else if (answer.result === 'submitted_list') record(key, answer.submitted_list.results.map((r) => r.order));
        else { errors += args.list; sentAt.delete(key); settle(); }
      });
      call.on('error', () => { errors += 1; });
    });
    const started = process.hrtime.bigint();
    const tick = () => {
      const due = Math.min(total, Math.floor((Number(process.hrtime.bigint() - started) / 1e9) * messagesPerSecond));
      for (; sent < due; sent += 1) {
        const pod = sent % clients.length;
        const key = `${pod}:${sent}`;
        sentAt.set(key, process.hrtime.bigint());
        if (args.mode === 'session') {
          const orders = Array.from({ length: args.list }, (_, i) => order(`${round}-${pod}-`, sent * args.list + i));
          sessions[pod].write(args.list === 1
            ? { request_id: String(sent), submit: orders[0] }
            : { request_id: String(sent), submit_list: { orders } });
        } else {
          const { client, metadata } = clients[pod];
          client.SubmitOrder(order(`${round}-${pod}-`, sent), metadata, { deadline: Date.now() + 10000 }, (error, answer) => {
            if (error) { errors += 1; sentAt.delete(key); settle(); } else record(key, [answer.order]);
          });
        }
      }
      if (sent < total) setTimeout(tick, 1);
      // Bounded: whatever is still unanswered 30 s after the last send counts as an error.
      else setTimeout(() => { sessions.forEach((call) => call.cancel()); resolve(errors + total - answered); }, 30000).unref();
    };
    tick();
  });
}

async function main() {
  const args = parseArgs(process.argv);
  const clients = Array.from({ length: args.pods }, (_, pod) => ({
    // One channel per pod, as separate pod processes would have.
    client: new GatewayService(args.address, grpc.credentials.createInsecure(), { 'grpc.use_local_subchannel_pool': 1 }),
    metadata: metadataFor(`${args.tokenPrefix}${pod}`),
  }));
  const round = `${process.pid}-${Date.now()}`;
  await run(clients, args, `${round}w`, args.warmup, []);
  if (args.rate > 0) {
    const latencies = [];
    const started = process.hrtime.bigint();
    const errors = await openLoop(clients, args, round, latencies);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clients.forEach(({ client }) => client.close());
    process.stdout.write(`${JSON.stringify({ orders: latencies.length, errors, seconds, latencies_ms: latencies })}\n`);
    return;
  }
  const latencies = [];
  const perPod = Math.floor(args.orders / args.pods);
  const started = process.hrtime.bigint();
  await run(clients, args, round, perPod, latencies);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clients.forEach(({ client }) => client.close());
  process.stdout.write(`${JSON.stringify({ orders: latencies.length, seconds, latencies_ms: latencies })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
