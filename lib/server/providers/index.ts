export { getProviders, putProviders } from "./manage";
export { providerResilience } from "./resilience";
