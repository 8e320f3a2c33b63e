//! Runs a scenario file and prints its readouts: a quick look for model development.
//!
//! `cargo run --release -p bonesim --example explore -- scenarios/homeostasis.toml [days] [every] [key=value]...`
#![allow(clippy::print_stdout, reason = "an example prints")]

use bonesim::{Scenario, Sim};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = std::fs::read_to_string(&args[0]).expect("scenario file");
    let mut scenario: Scenario = toml::from_str(&text).expect("scenario");
    if let Some(days) = args.get(1) {
        scenario.time.days = days.parse().expect("days");
    }
    let every: f64 = args.get(2).map_or(10.0, |e| e.parse().expect("every"));
    for kv in args.iter().skip(3) {
        let (k, v) = kv.split_once('=').expect("key=value");
        match k {
            "seed" => scenario.seed = v.parse().unwrap(),
            "width" => scenario.domain.width = v.parse().unwrap(),
            "height" => scenario.domain.height = v.parse().unwrap(),
            "knockout" => scenario.patient.il6_knockout = v.parse().unwrap(),
            "estrogen" => scenario.patient.estrogen = v.parse().unwrap(),
            "testosterone" => scenario.patient.testosterone = v.parse().unwrap(),
            "cells" => scenario.tumor.seed_cells = v.parse().unwrap(),
            _ => {
                scenario.parameters.insert(k.to_string(), v.parse().unwrap());
            }
        }
    }
    let threads: usize = std::env::var("THREADS").ok().and_then(|t| t.parse().ok()).unwrap_or(2);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    pool.install(|| run(scenario, every));
}

fn run(scenario: Scenario, every: f64) {
    let start = std::time::Instant::now();
    let mut sim = Sim::new(&scenario, None).expect("sim");
    let mut cycles = [0u64; bonesim::field::FieldId::ALL.len()];
    let (mut worst, mut days, mut with_oc) = (0.0f64, 0u32, 0u32);
    let bv0 = sim.readouts().bv_tv;
    let per = (every * 24.0 / scenario.time.tick_hours).round() as u64;
    let default_cols = "day,bone_rel,osteoclasts,osteoclast_nuclei,preosteoclasts,precursors,osteoblasts,preosteoblasts,osteocytes,tumor_cells,eroded_area_mm2,ctx,p1np,rankl_pm,opg_pm,il6_pm,serum_il6_pg_ml";
    let cols_text = std::env::var("COLS").unwrap_or_else(|_| default_cols.to_string());
    let cols: Vec<&str> = cols_text.split(',').collect();
    println!("{}", cols.iter().map(|c| format!("{:>9}", &c[..c.len().min(9)])).collect::<String>());
    loop {
        if sim.tick().is_multiple_of(per) || sim.tick() == sim.total_ticks() {
            let r = sim.readouts().columns();
            let line: String = cols
                .iter()
                .map(|c| r.iter().find(|(n, _)| n == c).map_or(f64::NAN, |(_, v)| *v))
                .map(|v| if v.abs() >= 100.0 || v == v.trunc() { format!("{v:>9.0}") } else { format!("{v:>9.4}") })
                .collect();
            let (l, f, pa) = (sim.lattice(), sim.fields(), sim.params());
            let mut best = (0.0f64, 0.0f64);
            let mut hot = 0;
            for site in 0..l.len() {
                if l.is_surface(site) {
                    let decoy = sim.pharmacology().targets().at(f, site).rankl_decoy;
                    let free = bonesim::biology::signalling::free_rankl(f, site, pa, decoy);
                    let rank = bonesim::biology::occupancy(free, pa.osteoclast.rank_half_pm);
                    if free > best.0 {
                        best = (free, rank);
                    }
                    if rank > 0.3 {
                        hot += 1;
                    }
                }
            }
            println!("{line}   max free RANKL {:.1} pM (RANK {:.2}), surface sites RANK>0.3: {hot}", best.0, best.1);
        }
        if sim.tick() >= sim.total_ticks() {
            break;
        }
        sim.step();
        if sim.tick().is_multiple_of(24) {
            let r = sim.readouts();
            worst = worst.max((r.bv_tv / bv0 - 1.0).abs());
            days += 1;
            with_oc += u32::from(r.osteoclasts > 0);
        }
        for f in bonesim::field::FieldId::ALL {
            cycles[f.index()] += sim.fields().last_stats(f).cycles as u64;
        }
    }
    if std::env::var_os("CAVITY").is_some() {
        let (l, c) = (sim.lattice(), sim.cells());
        let mut tally = std::collections::BTreeMap::new();
        for s in 0..l.len() {
            if l.eroded[s] && l.is_open(s) {
                let touches = l.neighbours(s).any(|n| l.is_solid(n));
                let who = c.occupant(s).map_or("empty", |k| c.kind[k].name());
                *tally.entry((touches, who)).or_insert(0) += 1;
            }
        }
        println!("open eroded sites (touches bone, occupant): {tally:?}");
    }
    if let Ok(path) = std::env::var("PNG") {
        dump(&sim, &path);
    }
    let r = sim.readouts();
    let bone_mm2 = bv0 * sim.lattice().len() as f64 * sim.lattice().site_area_mm2();
    println!(
        "summary: worst drift {:.2} %, osteoclasts on {:.1} % of days, turnover {:.1} %/yr, osteocytes {}",
        100.0 * worst,
        100.0 * with_oc as f64 / days.max(1) as f64,
        100.0 * r.resorbed_mm2 / bone_mm2 / (r.day / 365.25),
        r.osteocytes
    );
    let ticks = sim.tick().max(1) as f64;
    let per: Vec<String> = bonesim::field::FieldId::ALL
        .iter()
        .map(|f| format!("{} {:.2}", f.name(), cycles[f.index()] as f64 / ticks))
        .collect();
    println!("cycles per tick: {}", per.join(", "));
    let t = sim.timings();
    let phases: Vec<String> =
        bonesim::sim::Phase::ALL.iter().map(|&p| format!("{} {:.1}s", p.name(), t.get(p).as_secs_f64())).collect();
    println!("wall {:.1}s; {}", start.elapsed().as_secs_f64(), phases.join(", "));
}

/// Writes the tissue with cells, 3 pixels per site.
fn dump(sim: &Sim, path: &str) {
    use bonesim::cells::CellKind;
    use bonesim::lattice::TissueKind;
    let l = sim.lattice();
    let scale = 3;
    let (w, h) = (l.width * scale, l.height * scale);
    let mut px = vec![0u8; w * h * 3];
    let mut colour = vec![[0u8; 3]; l.len()];
    for (s, c) in colour.iter_mut().enumerate() {
        *c = match l.kind(s) {
            TissueKind::Marrow if l.eroded[s] => [90, 40, 40],
            TissueKind::Marrow => [30, 20, 25],
            TissueKind::Vessel => [200, 0, 0],
            TissueKind::Osteoid => [230, 170, 80],
            TissueKind::Bone => {
                let g = (120.0 + 130.0 * l.mineral[s]) as u8;
                if l.initial_bone[s] < 0.5 { [g, g, (g as f32 * 0.7) as u8] } else { [g, g, g] }
            }
        };
    }
    let cells = sim.cells();
    for slot in 0..cells.len() {
        colour[cells.site[slot] as usize] = match cells.kind[slot] {
            CellKind::Osteoclast => [255, 0, 255],
            CellKind::PreOsteoclast => [255, 120, 255],
            CellKind::Precursor => [120, 60, 160],
            CellKind::Osteoblast => [0, 200, 255],
            CellKind::PreOsteoblast => [0, 120, 160],
            CellKind::LiningCell => [0, 255, 120],
            CellKind::Osteocyte => [60, 60, 200],
            CellKind::Stroma => [90, 110, 60],
            CellKind::Macrophage => [150, 150, 0],
            CellKind::TCell => [200, 200, 200],
            CellKind::Tumor => [255, 40, 40],
        };
    }
    for y in 0..h {
        for x in 0..w {
            let c = colour[(y / scale) * l.width + x / scale];
            px[(y * w + x) * 3..(y * w + x) * 3 + 3].copy_from_slice(&c);
        }
    }
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), w as u32, h as u32);
    enc.set_color(png::ColorType::Rgb);
    enc.write_header().unwrap().write_image_data(&px).unwrap();
}
