/// <reference lib="webworker" />
// The ELK layout engine in a Web Worker: elk.bundled installs ELK's own message handler when it is
// loaded in a worker scope, and the main thread talks to it through elkjs/lib/elk-api.
import "elkjs/lib/elk.bundled.js";
