/**
 * Experiment tracking: what the trainer reports about a run, kept on disk first and sent to an
 * MLflow tracking server in the background.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>{@link io.spotlight.trainer.tracking.Tracker}: the trainer's interface, with
 *       {@link io.spotlight.trainer.tracking.MlflowTracker},
 *       {@link io.spotlight.trainer.tracking.LocalTracker} and
 *       {@link io.spotlight.trainer.tracking.NoOpTracker}; {@code Tracker.sync(runDir)} sends a
 *       run directory's leftovers later.
 *   <li>{@link io.spotlight.trainer.tracking.MlflowServer}: a real {@code mlflow server} on
 *       loopback from {@code .venv/mlflow} (made by {@code scripts/install-mlflow.sh}).
 * </ul>
 *
 * <h2>The spool, {@code <runDir>/tracking/}</h2>
 *
 * <pre>
 * spool.jsonl     one line per call: {"seq":n,"timestamp":ms,"event":{"type":"metric",...}}
 * blobs/          image and artifact bytes (and image thumbnails, made by the sender)
 * sent.json       watermark: the last acknowledged seq, and the server, experiment and run it went to
 * rejected.jsonl  lines the server refused for good, with its reason
 * </pre>
 *
 * <h2>Why nothing is lost or doubled</h2>
 *
 * A line is written before anything is sent, and the watermark moves only after the server
 * acknowledged the request. Anything can therefore be sent twice (a lost answer, a crash between
 * request and watermark, a sync), and every request is idempotent on an MLflow 2.x server:
 * metric rows carry the timestamp of the call and the server keeps an identical (key, step,
 * timestamp, value) row once; a param logged again with its value and a tag set again change
 * nothing; image and artifact paths are fixed in the spool and a second PUT overwrites the same
 * file; a run is created with a {@code spotlight.runKey} tag and found again by it rather than
 * created twice.
 *
 * <h2>Images</h2>
 *
 * MLflow's step-indexed layout ({@link io.spotlight.trainer.tracking.ImageNames}) with {@code +}
 * separators and PNG thumbnails, which the 2.x UI reads (it accepts {@code +} or {@code %} and
 * png or webp). A {@code /} in a key becomes {@code _}, not MLflow's {@code #}, because the
 * 2.x artifact proxy refuses paths containing {@code #}.
 */
package io.spotlight.trainer.tracking;
