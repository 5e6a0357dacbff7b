/**
 * Rendering of CAM maps to PNG: colormaps, overlays on the input image, per-sample grids with
 * labels, per-head colour composites, and PNG output with MLflow-sized thumbnails.
 *
 * <p>Pure {@code java.awt.image} + {@code javax.imageio}; nothing here needs a display. Run with
 * {@code -Djava.awt.headless=true} on machines where {@code DISPLAY} happens to be set. Maps are
 * plain {@code float[][]} indexed {@code [row][column]} (height first), values {@code >= 0}.
 */
package io.spotlight.cam.render;
