/** Messages between a benchmark and bench/lib/serverAgent.ts inside the web process (over IPC). */
export type AgentRequest =
  | { id: number; op: 'memory' }
  | { id: number; op: 'profile-start' }
  | { id: number; op: 'profile-stop'; file: string };

export type AgentReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type AgentCommand = DistributiveOmit<AgentRequest, 'id'>;
