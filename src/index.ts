export * from './domain';
export * from './constructs';
export * from './projects';
