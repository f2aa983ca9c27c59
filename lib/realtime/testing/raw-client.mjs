// A raw socket.io-client in its own Node process (plain JS, no project code): subscribes to one run,
// resubscribes from the last seq it saw after every reconnect, and reports to the parent over IPC
// whether it received seq 1..total each exactly once and in order. Used by raw-client.test.ts.
import { io } from "socket.io-client";

const [url, runId, totalArg] = process.argv.slice(2);
const total = Number(totalArg);
const seqs = [];
let lastSeq = 0;
let connects = 0;
let disconnects = 0;
let finished = false;

const socket = io(url, { path: "/socket.io", transports: ["websocket"], reconnectionDelay: 50, reconnectionDelayMax: 200 });

socket.on("connect", () => {
  connects++;
  socket.emit("run:subscribe", { runId, afterSeq: lastSeq }, (ack) => {
    if (!ack?.ok) process.send({ type: "error", ack });
    else process.send({ type: "subscribed", connects, afterSeq: lastSeq });
  });
});

socket.on("disconnect", (reason) => {
  disconnects++;
  process.send({ type: "disconnected", reason, received: seqs.length });
});

socket.on("run:events", (message) => {
  if (message.runId !== runId) return;
  for (const e of message.events) {
    seqs.push(e.seq);
    // No filtering here: duplicates must be visible to the check below.
    if (e.seq > lastSeq) lastSeq = e.seq;
  }
  if (lastSeq >= total && !finished) {
    finished = true;
    // Linger so a late duplicate would still be counted.
    setTimeout(report, 300);
  }
});

function report() {
  let duplicates = 0;
  let outOfOrder = 0;
  const seen = new Set();
  for (let i = 0; i < seqs.length; i++) {
    if (seen.has(seqs[i])) duplicates++;
    seen.add(seqs[i]);
    if (i > 0 && seqs[i] <= seqs[i - 1]) outOfOrder++;
  }
  let missing = 0;
  for (let s = 1; s <= total; s++) if (!seen.has(s)) missing++;
  const firstIsOne = seqs[0] === 1;
  const exact = seqs.length === total && seqs.every((s, i) => s === i + 1);
  process.send({ type: "done", count: seqs.length, duplicates, outOfOrder, missing, firstIsOne, exact, connects, disconnects }, () => {
    socket.close();
    process.exit(0);
  });
}
