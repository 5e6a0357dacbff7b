package io.spotlight.trainer.tracking;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Collects what the tracking package logs during a test. */
final class CapturedLogs implements AutoCloseable {
  private final Logger logger =
      (Logger) LoggerFactory.getLogger("io.spotlight.trainer.tracking");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  CapturedLogs() {
    MlflowServerExtension.quietHttpLogs();
    appender.start();
    logger.addAppender(appender);
  }

  /** Formatted messages at WARN or above. */
  List<String> problems() {
    return appender.list.stream()
        .filter(e -> e.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
