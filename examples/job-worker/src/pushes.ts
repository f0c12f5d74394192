/** What the worker pushes to clients, shared by the worker and the clients. */
export type Pushes = { report: { ready: { reportId: number; url: string } } };

/** The app's name: the worker publishes under the same Redis prefix as the app's nodes. */
export const APP_NAME = 'reports';
