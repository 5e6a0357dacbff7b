package io.spotlight.trainer.tracking;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Map;

/** One thing the trainer reported, as stored in the spool (one JSON object per line). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = SpoolEvent.Start.class, name = "start"),
  @JsonSubTypes.Type(value = SpoolEvent.Param.class, name = "param"),
  @JsonSubTypes.Type(value = SpoolEvent.Metric.class, name = "metric"),
  @JsonSubTypes.Type(value = SpoolEvent.Tag.class, name = "tag"),
  @JsonSubTypes.Type(value = SpoolEvent.Image.class, name = "image"),
  @JsonSubTypes.Type(value = SpoolEvent.Artifact.class, name = "artifact"),
  @JsonSubTypes.Type(value = SpoolEvent.Input.class, name = "input"),
  @JsonSubTypes.Type(value = SpoolEvent.Finish.class, name = "finish"),
  @JsonSubTypes.Type(value = SpoolEvent.Resume.class, name = "resume")
})
sealed interface SpoolEvent {

  /**
   * The run's creation. {@code runKey} is a client-made id stored as tag {@code spotlight.runKey}
   * so that creating the run again (after a lost answer, or from {@code sync}) finds it instead
   * of making a duplicate.
   */
  record Start(
      String trackingUri,
      String experiment,
      String runName,
      String runKey,
      String parentRunId,
      Map<String, String> tags)
      implements SpoolEvent {}

  record Param(String key, String value) implements SpoolEvent {}

  record Metric(String key, double value, long step) implements SpoolEvent {}

  record Tag(String key, String value) implements SpoolEvent {}

  /** An image; {@code artifactPath} (under images/) is fixed at enqueue, so a resend overwrites. */
  record Image(String key, long step, String artifactPath, String blob) implements SpoolEvent {}

  /** An artifact whose content was copied into the spool's blob folder. */
  record Artifact(String artifactPath, String blob) implements SpoolEvent {}

  record Input(String name, String digest, String source) implements SpoolEvent {}

  record Finish(RunStatus status) implements SpoolEvent {}

  /**
   * A later process continues the run (a resumed training run, from its checkpoint at global
   * step {@code fromStep}): the server marks the run RUNNING again, whatever ended it before.
   */
  record Resume(long fromStep) implements SpoolEvent {}

  /** Params, metrics and tags travel together in MLflow's log-batch requests. */
  default boolean isBatchable() {
    return this instanceof Param || this instanceof Metric || this instanceof Tag;
  }
}
