export * from './ack';
export * from './call';
export * from './errors';
export * from './events';
export * from './ice';
export * from './presence';
export * from './schemas';
