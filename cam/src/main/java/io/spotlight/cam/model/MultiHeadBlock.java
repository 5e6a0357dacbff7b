package io.spotlight.cam.model;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shared trunk followed by named output heads: {@code forward} returns one array per head, in
 * head order. Children are named {@code trunk} and the head names, so layers are addressed as
 * {@code trunk/3} or {@code left/0} (see {@link LayerPath}).
 */
public class MultiHeadBlock extends AbstractBlock {
    /** The first byte of its parameter stream ({@code Block.saveParameters}): tells a whole model from a trunk. */
    public static final byte VERSION = 1;

    private final Block trunk;
    private final Map<String, Block> heads;

    public MultiHeadBlock(Block trunk, Map<String, Block> heads) {
        super(VERSION);
        if (heads.isEmpty()) {
            throw new IllegalArgumentException("a MultiHeadBlock needs at least one head");
        }
        this.trunk = addChildBlock("trunk", trunk);
        this.heads = new LinkedHashMap<>();
        for (Map.Entry<String, Block> head : heads.entrySet()) {
            if (head.getKey().equals("trunk") || head.getKey().contains("/")) {
                throw new IllegalArgumentException(
                        "head name '" + head.getKey() + "' is reserved or contains '/'");
            }
            this.heads.put(head.getKey(), addChildBlock(head.getKey(), head.getValue()));
        }
    }

    public Block getTrunk() {
        return trunk;
    }

    /** Head blocks by name, in output order. */
    public Map<String, Block> getHeads() {
        return Collections.unmodifiableMap(heads);
    }

    public List<String> getHeadNames() {
        return new ArrayList<>(heads.keySet());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList features = trunk.forward(ps, inputs, training, params);
        NDList outputs = new NDList(heads.size());
        for (Block head : heads.values()) {
            outputs.add(head.forward(ps, features, training, params).singletonOrThrow());
        }
        return outputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes);
        Shape[] features = trunk.getOutputShapes(inputShapes);
        for (Block head : heads.values()) {
            head.initialize(manager, dataType, features);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] features = trunk.getOutputShapes(inputShapes);
        List<Shape> out = new ArrayList<>();
        for (Block head : heads.values()) {
            out.add(head.getOutputShapes(features)[0]);
        }
        return out.toArray(new Shape[0]);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException("Unsupported MultiHeadBlock version: " + loadVersion);
        }
        readInputShapes(is); // written by AbstractBaseBlock#saveMetadata
    }
}
