// `bottleneck/light.js` is the build @octokit/plugin-throttling uses; it ships no typings of its own.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
