import { strykerConfig } from './config.mjs';

export default strykerConfig('rate-limiter');
