// What tests/browser/support/global-setup.ts provides besides the cloud's description
// (tests/support/provided-context.d.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Which app the web service serves: web/ itself, or tests/fixtures/web-app when web/ has no app yet. */
    webApp?: 'web' | 'fixture';
  }
}

export {};
