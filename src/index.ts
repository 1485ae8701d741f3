export * from './constructs';
export * from './projects';
