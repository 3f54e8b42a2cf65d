import { svd3, optimalRotation } from '../src/core/geometry/procrustes';
const m = [2, -1, 0.5, 0.3, 4, 1, -2, 0.7, 1.5] as [number, number, number, number, number, number, number, number, number];
for (let i = 0; i < 100; i++) svd3(m);
const c0 = process.cpuUsage(); for (let i = 0; i < 2000; i++) optimalRotation(m); const c = process.cpuUsage(c0);
console.log('svd', ((c.user + c.system) / 1000 / 2000).toFixed(4), 'ms');
