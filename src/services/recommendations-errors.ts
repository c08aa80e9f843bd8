/** Errors of the recommendation services that are not a client's mistake (the web layer answers 503 for them). */

/** No model is loaded yet (the first training has not finished): quick recommendations cannot be computed. */
export class ModelUnavailableError extends Error {
  constructor() {
    super('Recommendations are not available yet: the first model is still being trained. Try again in a minute.');
    this.name = 'ModelUnavailableError';
  }
}
