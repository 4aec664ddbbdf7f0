#!/usr/bin/env node
// A Slipstream pod in Node.js on the stubs generated from proto/ (ts-proto for @grpc/grpc-js,
// compiled into generated/typescript/lib, so plain `node` runs it; no Python inside): it serves
// the constitution (Status, Configure, Halt) plus health and reflection, registers with the
// federation, and trades a toy reversal strategy on a seeded random walk.
//
// Usage: SLIPSTREAM_POD_TOKEN=... node examples/node-pod/pod.js --federation 127.0.0.1:50051
'use strict';

const grpc = require('@grpc/grpc-js');
const { HealthImplementation, service: healthService } = require('grpc-health-check');
// Messages are plain objects shaped like the proto: snake_case fields, int64 as decimal strings,
// enum values as their names (TradingState.TRADING_STATE_ACTIVE === 'TRADING_STATE_ACTIVE').
const { ExecutionIntent, HaltReason, Health, PodConfig, PodLimits, TradingState } = require('../../generated/typescript/lib/slipstream/v1/common');
const constitution = require('../../generated/typescript/lib/slipstream/v1/constitution');
const { FederationServiceClient, RegisterPodRequest } = require('../../generated/typescript/lib/slipstream/v1/federation');
const { addReflection, contractFiles, loadedFiles } = require('./reflection');

const { ConfigureResponse, ConstitutionServiceService, HaltResponse, StatusResponse } = constitution;
const CONSTITUTION = 'slipstream.v1.ConstitutionService';
const HEALTH = 'grpc.health.v1.Health';

function parseArgs(argv) {
  const args = { podId: 'node-reversal', listen: '127.0.0.1:0', federation: null, seed: 11, tickMs: 250 };
  for (let i = 2; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (key === '--pod-id') args.podId = value;
    else if (key === '--listen') args.listen = value;
    else if (key === '--federation') args.federation = value;
    else if (key === '--seed') args.seed = Number(value);
    else throw new Error(`unknown option ${key}`);
  }
  return args;
}

// Errors carry the google.rpc convention used by every Slipstream server: "field: problem".
class InvalidArgument extends Error {
  constructor(field, problem) {
    super(`${field}: ${problem}`);
    this.code = grpc.status.INVALID_ARGUMENT;
  }
}

function rpcError(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

// Exact decimal check on the wire strings: the pod refuses what the contract refuses.
const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;
function parseDecimal(text, field, { optional = true } = {}) {
  if (text === '' && optional) return null;
  if (!DECIMAL.test(text.trim())) throw new InvalidArgument(field, `must be a finite decimal number, got '${text.slice(0, 40)}'`);
  const value = Number(text);
  if (value < 0) throw new InvalidArgument(field, `must be >= 0, got ${text}`);
  return value;
}

const MAX_CONFIG_VERSION = 2n ** 62n;

function validateConfig(config) {
  if (!config) throw new InvalidArgument('config', 'must be set');
  // The federation caps versions at 2^62 (so version + 1 never overflows int64); versions are
  // compared as Numbers below, exact up to 2^53, which a real federation never nears.
  const version = BigInt(config.config_version);
  if (version < 1n || version > MAX_CONFIG_VERSION) {
    throw new InvalidArgument('config.config_version', `must be between 1 and ${MAX_CONFIG_VERSION}, got ${config.config_version}`);
  }
  const states = [TradingState.TRADING_STATE_ACTIVE, TradingState.TRADING_STATE_REDUCE_ONLY, TradingState.TRADING_STATE_HALTED];
  if (!states.includes(config.trading_state)) {
    throw new InvalidArgument('config.trading_state', `must be set to a known TRADING_STATE, got ${config.trading_state}`);
  }
  const limits = config.limits || {};
  const seen = new Set();
  (limits.symbol_limits || []).forEach((item, i) => {
    const where = `config.limits.symbol_limits[${i}]`;
    if (!item.symbol) throw new InvalidArgument(`${where}.symbol`, 'must not be empty');
    if (seen.has(item.symbol)) throw new InvalidArgument(`${where}.symbol`, `duplicate symbol '${item.symbol}'`);
    seen.add(item.symbol);
    parseDecimal(item.max_position_quantity, `${where}.max_position_quantity`);
    parseDecimal(item.max_position_notional_usd, `${where}.max_position_notional_usd`);
  });
  parseDecimal(limits.max_gross_notional_usd || '', 'config.limits.max_gross_notional_usd');
  parseDecimal(limits.capital_allocation_usd || '', 'config.limits.capital_allocation_usd');
  const vol = limits.volatility_target_annualized ?? 0;
  if (!Number.isFinite(vol)) throw new InvalidArgument('config.limits.volatility_target_annualized', `must be finite, got ${vol}`);
  if (vol < 0) throw new InvalidArgument('config.limits.volatility_target_annualized', `must be >= 0, got ${vol}`);
  return Number(version);
}

// Key order and defaults are fixed by the generated decoder, so JSON equality is content equality.
const sameConfig = (a, b) => JSON.stringify(a) === JSON.stringify(b);

function timestamp(ms) {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

class NodePod {
  constructor(podId, token, seed) {
    this.podId = podId;
    this.token = token;
    this.symbol = 'ETH/USDT';
    this.price = 3000;
    this.lastPrice = this.price;
    this.rng = seed >>> 0;
    this.config = PodConfig.create({ config_version: '0', trading_state: TradingState.TRADING_STATE_REDUCE_ONLY, limits: PodLimits.create({ capital_allocation_usd: '0' }) });
    this.halt = null;
    this.haltVersion = 0;
    this.quantity = 0;
    this.entry = 0;
    this.realized = 0;
    this.started = Date.now();
    this.lastTick = null;
  }

  random() {
    // Park-Miller LCG: deterministic under the seed, good enough for a toy walk.
    this.rng = (this.rng * 48271) % 2147483647;
    return this.rng / 2147483647;
  }

  tradingState() {
    return this.halt ? TradingState.TRADING_STATE_HALTED : this.config.trading_state;
  }

  authenticate(call) {
    const header = call.metadata.get('authorization')[0];
    if (!header) throw rpcError(grpc.status.UNAUTHENTICATED, "missing 'authorization: Bearer <token>' metadata");
    if (header !== `Bearer ${this.token}`) throw rpcError(grpc.status.PERMISSION_DENIED, 'unknown token');
  }

  trade(target) {
    const state = this.tradingState();
    if (state === TradingState.TRADING_STATE_HALTED) return;
    if (state === TradingState.TRADING_STATE_REDUCE_ONLY) target = Math.sign(this.quantity) * Math.min(Math.abs(target), Math.abs(this.quantity)) * (Math.sign(target) === Math.sign(this.quantity) ? 1 : 0);
    const delta = Number((target - this.quantity).toFixed(4));
    if (delta === 0) return;
    if (this.quantity !== 0 && Math.sign(delta) !== Math.sign(this.quantity)) {
      const closed = Math.min(Math.abs(delta), Math.abs(this.quantity));
      this.realized += (this.price - this.entry) * closed * Math.sign(this.quantity);
      if (Math.abs(delta) > Math.abs(this.quantity)) this.entry = this.price;
    } else {
      this.entry = (Math.abs(this.quantity) * this.entry + Math.abs(delta) * this.price) / (Math.abs(this.quantity) + Math.abs(delta));
    }
    this.realized -= Math.abs(delta) * this.price * 0.0005;
    this.quantity = Number((this.quantity + delta).toFixed(4));
    if (this.quantity === 0) this.entry = 0;
  }

  tick() {
    this.lastPrice = this.price;
    this.price *= Math.exp((this.random() - 0.5) * 0.006);
    const capital = Number(this.config.limits?.capital_allocation_usd || 0);
    const budget = capital * 0.2;
    const direction = this.price < this.lastPrice ? 1 : -1;
    this.trade(Number(((budget / this.price) * direction).toFixed(4)));
    this.lastTick = Date.now();
  }

  status() {
    const notional = this.quantity * this.price;
    const unrealized = (this.price - this.entry) * this.quantity;
    const capital = Number(this.config.limits?.capital_allocation_usd || 0);
    const positions = this.quantity === 0 ? [] : [{
      symbol: this.symbol,
      quantity: this.quantity.toFixed(4),
      notional_usd: notional.toFixed(6),
      mark_price: this.price.toFixed(2),
      average_entry_price: this.entry.toFixed(6),
      unrealized_pnl_usd: unrealized.toFixed(6),
    }];
    const stale = this.lastTick === null ? null : Date.now() - this.lastTick > 5000;
    const uptimeMs = Date.now() - this.started;
    return {
      pod_id: this.podId,
      trading_state: this.tradingState(),
      health: stale === null ? Health.HEALTH_UNKNOWN : stale ? Health.HEALTH_DEGRADED : Health.HEALTH_HEALTHY,
      net_exposure_usd: notional.toFixed(6),
      gross_exposure_usd: Math.abs(notional).toFixed(6),
      positions,
      open_orders: [],
      realized_pnl_usd: this.realized.toFixed(6),
      unrealized_pnl_usd: unrealized.toFixed(6),
      nav_usd: (capital + this.realized + unrealized).toFixed(6),
      config: this.config,
      execution_intent: ExecutionIntent.EXECUTION_INTENT_MIXED,
      uptime: { seconds: String(Math.floor(uptimeMs / 1000)), nanos: (uptimeMs % 1000) * 1e6 },
      report_time: timestamp(Date.now()),
      halt: this.halt,
      language: 'node',
    };
  }

  handlers() {
    const guard = (fn) => (call, callback) => {
      try {
        this.authenticate(call);
        callback(null, fn(call.request));
      } catch (error) {
        callback({ code: error.code || grpc.status.INTERNAL, details: error.code ? error.message : 'internal error' });
      }
    };
    // Keyed as in the generated ConstitutionServiceService; create() fills every unset field.
    return {
      status: guard(() => StatusResponse.create({ status: this.status() })),
      configure: guard((request) => {
        const version = validateConfig(request.config);
        const current = Number(this.config.config_version);
        if (version < current) throw new InvalidArgument('config.config_version', `stale: version ${version} is older than version ${current} in force`);
        if (version < this.haltVersion) throw new InvalidArgument('config.config_version', `stale: version ${version} predates the halt at version ${this.haltVersion}`);
        if (version === current) {
          if (!sameConfig(request.config, this.config)) throw new InvalidArgument('config.config_version', `version ${current} is already in force with different content; send a higher version`);
          return ConfigureResponse.create({ config: this.config, applied: false, trading_state: this.tradingState() });
        }
        this.config = request.config;
        if (request.config.trading_state === TradingState.TRADING_STATE_HALTED) {
          this.halt = this.halt || { reason: HaltReason.HALT_REASON_MANUAL, requested_by: `config v${version}`, note: 'halted by configuration', halt_time: timestamp(Date.now()) };
        } else {
          this.halt = null;
        }
        return ConfigureResponse.create({ config: this.config, applied: true, trading_state: this.tradingState() });
      }),
      halt: guard((request) => {
        const reasons = [HaltReason.HALT_REASON_MANUAL, HaltReason.HALT_REASON_RISK_VIOLATION, HaltReason.HALT_REASON_PERFORMANCE_FAILURE, HaltReason.HALT_REASON_MAINTENANCE];
        if (!reasons.includes(request.reason)) throw new InvalidArgument('reason', `must be set to a known HALT_REASON, got ${request.reason}`);
        if (!request.requested_by.trim()) throw new InvalidArgument('requested_by', 'must not be empty');
        if (Number(request.config_version) < 0) throw new InvalidArgument('config_version', 'must be >= 0');
        this.haltVersion = Math.max(this.haltVersion, Number(request.config_version));
        if (this.halt) return HaltResponse.create({ already_halted: true, cancelled_order_count: 0, halt_time: this.halt.halt_time });
        this.halt = { reason: request.reason, requested_by: request.requested_by, note: request.note, halt_time: timestamp(Date.now()) };
        return HaltResponse.create({ already_halted: false, cancelled_order_count: 0, halt_time: this.halt.halt_time });
      }),
    };
  }
}

function register(pod, federation, address, attempt = 0) {
  const client = new FederationServiceClient(federation, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${pod.token}`);
  const request = RegisterPodRequest.create({ pod_id: pod.podId, address, language: 'node', execution_intent: ExecutionIntent.EXECUTION_INTENT_MIXED });
  client.registerPod(request, metadata, { deadline: Date.now() + 2000 }, (error) => {
    client.close();
    if (!error) {
      console.log(`pod ${pod.podId} registered with ${federation} as ${address}`);
      return;
    }
    const permanent = [grpc.status.INVALID_ARGUMENT, grpc.status.PERMISSION_DENIED, grpc.status.UNAUTHENTICATED];
    if (permanent.includes(error.code) || attempt > 30) {
      console.error(`registration failed: ${error.message}`);
      process.exit(2);
    }
    setTimeout(() => register(pod, federation, address, attempt + 1), Math.min(100 * 2 ** attempt, 2000));
  });
}

function main() {
  const args = parseArgs(process.argv);
  const token = process.env.SLIPSTREAM_POD_TOKEN;
  if (!token) {
    console.error('set the pod token in SLIPSTREAM_POD_TOKEN');
    process.exit(2);
  }
  const pod = new NodePod(args.podId, token, args.seed);
  const server = new grpc.Server();
  server.addService(ConstitutionServiceService, pod.handlers());
  new HealthImplementation({ '': 'SERVING', [CONSTITUTION]: 'SERVING' }).addToServer(server);
  const files = [...contractFiles([constitution.protobufFileName]), ...loadedFiles(healthService)];
  addReflection(server, files, [CONSTITUTION, HEALTH]);
  server.bindAsync(args.listen, grpc.ServerCredentials.createInsecure(), (error, port) => {
    if (error) {
      console.error(`cannot bind ${args.listen}: ${error.message}`);
      process.exit(2);
    }
    const host = args.listen.split(':')[0];
    console.log(`pod ${pod.podId} listening on ${host}:${port}`);
    const timer = setInterval(() => pod.tick(), args.tickMs);
    if (args.federation) register(pod, args.federation, `${host}:${port}`);
    const stop = () => {
      clearInterval(timer);
      server.tryShutdown(() => process.exit(0));
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

main();
