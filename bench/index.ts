/**
 * Every benchmark, in the order they run and appear in docs/BENCHMARKS.md. To add one, export
 * `benchmark: Benchmark` from its module and append it here.
 */
import { benchmark as callSetup } from './call-setup';
import { benchmark as crossBrowser } from './cross-browser';
import { benchmark as joinTime } from './join-time';
import { benchmark as networkFaults } from './network-faults';
import type { Benchmark } from './lib/types';
import { benchmark as presenceScale } from './presence-scale';
import { benchmark as roomFaults } from './room-faults';
import { benchmark as roomJoin } from './room-join';
import { benchmark as roomScale } from './room-scale';
import { benchmark as roomWorkers } from './room-workers';
import { benchmark as sfuFanout } from './sfu-fanout';
import { benchmark as socketFuzz } from './socket-fuzz';
import { benchmark as tileWidth } from './tile-width';

export const benchmarks: Benchmark[] = [sfuFanout, roomWorkers, joinTime, roomJoin, roomFaults, roomScale, tileWidth, callSetup, crossBrowser, presenceScale, socketFuzz, networkFaults];
