import { version } from '../../package.json';

export const STUDIO_VERSION: string = version;
