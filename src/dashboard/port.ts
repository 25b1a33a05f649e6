/** The dashboard's default port (`voltbench up --dashboard-port`), beside the emulators' 7080-7099. */
export const DEFAULT_DASHBOARD_PORT = 7070;
