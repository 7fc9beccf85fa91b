package lab.d2c.workers.stage2;

/** Small stage-two config sections for tests that run train-stage2 and sample. */
public final class Stage2Nodes {

    private Stage2Nodes() {
    }

    /** The {@code "stage2":{...}} member: widths 16, one block each, buffer 4, 4 sampled images in 2 steps. */
    public static String section(String fusion, long steps, long checkpointEvery) {
        return "\"stage2\":{\"seed\":5,\"fusion\":\"" + fusion + "\",\"queries\":2,\"qformer_depth\":1,"
                + "\"discrete_positions\":\"learned\","
                + "\"encoder_width\":16,\"encoder_depth\":1,\"encoder_heads\":2,\"decoder_width\":16,"
                + "\"decoder_depth\":1,\"decoder_heads\":2,\"mlp_ratio\":2.0,\"buffer_size\":4,"
                + "\"init_discrete_from_stage1\":true,\"freeze_discrete_embedding\":true,\"mask_ratio_min\":0.7,"
                + "\"condition\":\"ground-truth\",\"condition_temperature\":1.0,"
                + "\"class_dropout\":0.1,\"discrete_dropout\":0.1,\"attention_dropout\":0.1,\"projection_dropout\":0.1,"
                + "\"head_width\":16,\"head_depth\":1,\"diffusion_batch_mul\":2,\"noise_schedule\":\"cosine\","
                + "\"sampling_steps\":5,\"learn_sigma\":true,"
                + "\"train\":{\"steps\":" + steps + ",\"batch_size\":8,\"lr\":0.002,\"warmup_steps\":2,\"lr_schedule\":\"constant\","
                + "\"weight_decay\":0.02,\"clip_norm\":1.0,\"ema_decay\":0.9,\"checkpoint_every\":" + checkpointEvery
                + ",\"log_every\":2},"
                + "\"sample\":{\"count\":4,\"batch_size\":3,\"steps\":2,\"guidance_scale\":2.0,"
                + "\"guidance_schedule\":\"linear\",\"temperature\":1.0,\"x0_clip\":5.0}}";
    }
}
