/** Runs an admin action and reports its outcome in the dashboard's status line. */
export type Act = (success: string, run: () => Promise<unknown>) => Promise<void>;
