//! Hand-derived cases; the derivations are written out in docs/formulation/planning.md.

use super::file::PlanningFile;
use super::system::{Generator, Load, StorageUnit, System};
use super::*;

fn gen(
    name: &str,
    p_nom: f64,
    extendable: bool,
    capital_cost: f64,
    marginal_cost: f64,
) -> Generator {
    Generator {
        name: name.into(),
        bus: 0,
        p_nom,
        extendable,
        p_nom_min: 0.0,
        p_nom_max: f64::INFINITY,
        capital_cost,
        marginal_cost,
        marginal_cost_t: Vec::new(),
        p_min_pu: Vec::new(),
        p_max_pu: vec![1.0],
        co2_t_per_mwh: 0.0,
        ..Default::default()
    }
}

fn one_bus(
    load: Vec<f64>,
    weights: Vec<f64>,
    block_hours: usize,
    generators: Vec<Generator>,
) -> System {
    System {
        buses: vec!["grid".into()],
        loads: vec![Load {
            name: "demand".into(),
            bus: 0,
            p_set: load,
        }],
        generators,
        storage_units: Vec::new(),
        links: Vec::new(),
        weights,
        store_weights: Vec::new(),
        generator_weights: Vec::new(),
        block_hours,
        chronology: Chronology::Wrap,
        kvl_cycles: Vec::new(),
        emission_limits: Vec::new(),
    }
}

fn parse_plan(text: &str) -> PlanningFile {
    let (plan, diags) = load(text, "plan.toml");
    assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
    plan.unwrap()
}

fn check(
    sys: &System,
    plan_text: &str,
    objective: f64,
    expected: &[(&str, Option<i32>, f64)],
) -> PlanResult {
    let plan = parse_plan(plan_text);
    let res = plan_fn(sys, &plan);
    assert_eq!(res.status, Status::Optimal, "{res:?}");
    let rel = (res.objective - objective).abs() / objective.abs().max(1.0);
    assert!(
        rel < 1e-6,
        "objective {} expected {objective}",
        res.objective
    );
    let caps = res.by_period();
    for &(g, y, mw) in expected {
        let got = caps[&(g.to_string(), y)];
        assert!(
            (got - mw).abs() < 1e-4,
            "{g} {y:?}: {got} MW, expected {mw}"
        );
    }
    res
}

fn plan_fn(sys: &System, plan: &PlanningFile) -> PlanResult {
    super::plan(sys, plan).unwrap()
}

/// The model [`plan_fn`] solves for `plan`, as built.
fn build_lp(sys: &System, plan: &PlanningFile) -> LinearProgram {
    plan_fn(sys, plan);
    super::multi_period::LAST_LP
        .with(|last| last.borrow_mut().take())
        .expect("a model was built")
}

/// Section "N-1 makes small modules win" of docs/formulation/planning.md.
fn n1_grid() -> System {
    one_bus(
        vec![1600.0; 4],
        vec![2190.0; 4],
        4,
        vec![
            gen("gas", 500.0, false, 0.0, 70.0),
            gen("large", 0.0, true, 500_000.0, 10.0),
            gen("smr", 0.0, true, 540_000.0, 10.0),
            gen("ocgt", 0.0, true, 60_000.0, 150.0),
        ],
    )
}

const N1_UNITS: &str = r#"
[units.large]
unit_size_mw = 1200
max_units = 1
[units.smr]
unit_size_mw = 55
max_units = 30
"#;

#[test]
fn without_n1_one_large_unit_is_cheapest() {
    let plan = format!("{N1_UNITS}\n[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\n");
    let res = check(
        &n1_grid(),
        &plan,
        950.4e6,
        &[
            ("large", None, 1200.0),
            ("smr", None, 0.0),
            ("ocgt", None, 0.0),
        ],
    );
    assert_eq!(res.units("large"), Some(1.0));
}

#[test]
fn n1_makes_55_mwe_modules_beat_one_1200_mwe_unit() {
    let plan =
        format!("{N1_UNITS}\n[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nn1_reserve = true\n");
    let res = check(
        &n1_grid(),
        &plan,
        997.752e6,
        &[
            ("large", None, 0.0),
            ("smr", None, 1155.0),
            ("ocgt", None, 0.0),
        ],
    );
    assert_eq!(res.units("smr"), Some(21.0));
    assert!(res.integer_variables > 0);
}

#[test]
fn n1_with_interconnector_reserve_keeps_the_large_unit() {
    // 1,100 MW of reserve from neighbours covers the large unit's loss with the 100 MW gas headroom.
    let plan = format!("{N1_UNITS}\n[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nn1_reserve = true\ninterconnector_reserve_mw = 1100\n");
    check(
        &n1_grid(),
        &plan,
        950.4e6,
        &[("large", None, 1200.0), ("smr", None, 0.0)],
    );
}

#[test]
fn a_unit_without_reserve_ramp_holds_no_reserve_and_contingency_rows_stay_short() {
    // Gas may not hold reserve (reserve_ramp = 0): no reserve column for it. Each contingency
    // row reads the area's reserve total, its own unit's reserve, the import and the unit's
    // "built" variable: at most four entries, however many generators the area has.
    let plan = format!(
        "{N1_UNITS}\n[units.gas]\nreserve_ramp = 0\n[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nn1_reserve = true\n"
    );
    let lp = build_lp(&n1_grid(), &parse_plan(&plan));
    let col_names: Vec<String> = (0..lp.n_cols()).map(|c| lp.col_name(c)).collect();
    assert!(col_names
        .iter()
        .any(|n| n.starts_with("Generator-reserve[smr")));
    assert!(!col_names
        .iter()
        .any(|n| n.starts_with("Generator-reserve[gas")));
    let mut entries = vec![0usize; lp.n_rows()];
    for &r in &lp.triplet_rows {
        entries[r as usize] += 1;
    }
    let contingency: Vec<usize> = (0..lp.n_rows())
        .filter(|&r| lp.row_name(r).starts_with("Area-contingency"))
        .collect();
    assert!(!contingency.is_empty());
    assert!(
        contingency.iter().all(|&r| entries[r] <= 4),
        "{:?}",
        contingency.iter().map(|&r| entries[r]).collect::<Vec<_>>()
    );
}

#[test]
fn relaxation_gives_fractional_modules_and_a_lower_bound() {
    let plan = format!("[solver]\nrelax_integers = true\n{N1_UNITS}\n[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nn1_reserve = true\n");
    let res = plan_fn(&n1_grid(), &parse_plan(&plan));
    assert_eq!(res.status, Status::Optimal);
    assert_eq!(res.integer_variables, 0);
    assert!(res.objective <= 997.752e6 + 1.0);
    assert_eq!(res.mip_gap, 0.0);
}

/// Section "Staggered refuelling matters".
fn refuelling_grid() -> System {
    let mut load = vec![1000.0; 24];
    load.extend(vec![900.0; 24]);
    let mut weights = vec![300.0; 24];
    weights.extend(vec![65.0; 24]);
    one_bus(
        load,
        weights,
        24,
        vec![
            gen("nuclear", 1200.0, false, 0.0, 10.0),
            gen("gas", 0.0, true, 50_000.0, 80.0),
        ],
    )
}

fn refuelling_plan(schedule: &str, optimise: bool) -> String {
    format!(
        r#"
[units.nuclear]
unit_size_mw = 600
existing_units = 2
refuelling = {{ cycle_months = 12, outage_days = 30, schedule = "{schedule}", optimise = {optimise} }}
"#
    )
}

#[test]
fn staggered_refuelling_needs_one_unit_of_backup() {
    check(
        &refuelling_grid(),
        &refuelling_plan("staggered", false),
        133.8e6,
        &[("gas", None, 300.0)],
    );
}

#[test]
fn simultaneous_refuelling_needs_backup_for_the_whole_plant() {
    check(
        &refuelling_grid(),
        &refuelling_plan("simultaneous", false),
        229.32e6,
        &[("gas", None, 900.0)],
    );
}

#[test]
fn optimised_refuelling_season_picks_the_low_load_days() {
    check(
        &refuelling_grid(),
        &refuelling_plan("staggered", true),
        133.8e6,
        &[("gas", None, 300.0)],
    );
}

/// Section "Lead time forbids an early build".
fn lead_time_grid() -> System {
    one_bus(
        vec![1000.0],
        vec![8760.0],
        1,
        vec![
            gen("nuclear", 0.0, true, 400_000.0, 10.0),
            gen("gas", 0.0, true, 100_000.0, 60.0),
        ],
    )
}

fn lead_time_plan(lead: f64) -> String {
    format!(
        r#"
[investment]
decision_year = 2025
periods = [2030, 2035]
discount_rate = 0.0
end_year = 2040
[units.nuclear]
unit_size_mw = 1000
lead_time_years = {lead}
"#
    )
}

#[test]
fn lead_time_forbids_an_early_build() {
    check(
        &lead_time_grid(),
        &lead_time_plan(8.0),
        6066e6,
        &[
            ("nuclear", Some(2030), 0.0),
            ("gas", Some(2030), 1000.0),
            ("nuclear", Some(2035), 1000.0),
        ],
    );
}

#[test]
fn short_lead_time_builds_in_the_first_period() {
    check(
        &lead_time_grid(),
        &lead_time_plan(4.0),
        4876e6,
        &[("nuclear", Some(2030), 1000.0), ("gas", Some(2030), 0.0)],
    );
}

#[test]
fn earliest_year_and_retirement() {
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030, 2035]
discount_rate = 0.0
end_year = 2040
[units.nuclear]
unit_size_mw = 1000
earliest_year = 2035
[units.gas]
retire_year = 2035
"#;
    let mut sys = lead_time_grid();
    sys.generators[1].p_nom = 1000.0;
    let res = check(
        &sys,
        plan,
        0.0 + 1000.0 * 8760.0 * 60.0 * 5.0
            + 1000.0 * 400_000.0 * 5.0
            + 1000.0 * 8760.0 * 10.0 * 5.0,
        &[("nuclear", Some(2035), 1000.0)],
    );
    assert_eq!(res.by_period()[&("gas".to_string(), Some(2030))], 1000.0);
}

#[test]
fn foak_then_noak_learning_steps() {
    // Two periods, one new 1000 MW unit needed per period (load doubles).
    // Step 0: the first unit at 9,000 USD/kW; step 1: the rest at 6,000 USD/kW.
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030, 2035]
discount_rate = 0.0
end_year = 2040
load_scale = [1.0, 2.0]
[units.nuclear]
unit_size_mw = 1000
lifetime_years = 10
vendor = "v"
[vendors.v]
learning = [{ units = 1, overnight_cost_usd_per_kw = 9000 }, { overnight_cost_usd_per_kw = 6000 }]
"#;
    let sys = one_bus(
        vec![1000.0],
        vec![8760.0],
        1,
        vec![
            gen("nuclear", 0.0, true, 0.0, 10.0),
            gen("gas", 0.0, true, 3_000_000.0, 60.0),
        ],
    );
    // annuity at r = 0 over 10 years: overnight / 10 per year.
    let foak = 9000.0 * 1000.0 / 10.0 * 1000.0; // USD per year for 1000 MW
    let noak = 6000.0 * 1000.0 / 10.0 * 1000.0;
    let energy = 1000.0 * 8760.0 * 10.0 * 5.0 + 2000.0 * 8760.0 * 10.0 * 5.0;
    let objective = foak * 10.0 + noak * 5.0 + energy;
    check(
        &sys,
        plan,
        objective,
        &[
            ("nuclear", Some(2030), 1000.0),
            ("nuclear", Some(2035), 2000.0),
        ],
    );
}

#[test]
fn interest_during_construction_uses_the_economics_convention() {
    // One period of 5 years, no discounting; a 1,000 MW unit at 3,000 USD/kW built over a
    // 1.5-year lead time (rounded up to 2 years) with 10 % construction interest and a 10-year
    // life. IDC factor: half the spend at mid-year 1, half at mid-year 2, compounded to
    // commissioning: (1.1^1.5 + 1.1^0.5)/2 = 1.1012492905786593 (atomplan_econ's
    // `idc_factor_uniform`); annuity at r = 0: 1/10.
    let plan = r#"
[investment]
decision_year = 2025
periods = [2030]
discount_rate = 0.0
end_year = 2035
[units.nuclear]
unit_size_mw = 1000
lead_time_years = 1.5
lifetime_years = 10
overnight_cost_usd_per_kw = 3000
construction_interest_rate = 0.1
"#;
    let sys = one_bus(
        vec![1000.0],
        vec![8760.0],
        1,
        vec![
            gen("nuclear", 0.0, true, 0.0, 10.0),
            gen("gas", 0.0, true, 3_000_000.0, 60.0),
        ],
    );
    let idc = (1.1f64.powf(1.5) + 1.1f64.powf(0.5)) / 2.0;
    assert!((atomplan_econ::idc_factor_uniform(0.1, 1.5) - idc).abs() < 1e-15);
    let annual_usd = 1000.0 * 3000.0 * 1000.0 * idc / 10.0;
    let energy = 1000.0 * 8760.0 * 10.0 * 5.0;
    check(
        &sys,
        plan,
        annual_usd * 5.0 + energy,
        &[("nuclear", Some(2030), 1000.0)],
    );
}

/// Unit commitment: a 100 MW unit with a 50 % minimum stable load must switch off at 30 MW.
fn uc_grid() -> System {
    one_bus(
        vec![80.0, 30.0],
        vec![1.0, 1.0],
        2,
        vec![
            gen("nuclear", 100.0, false, 0.0, 10.0),
            gen("gas", 100.0, false, 0.0, 50.0),
        ],
    )
}

#[test]
fn committable_unit_switches_off_below_min_stable_load() {
    let plan = "[units.nuclear]\nunit_size_mw = 100\ncommittable = true\nmin_stable_load = 0.5\n";
    check(&uc_grid(), plan, 80.0 * 10.0 + 30.0 * 50.0, &[]);
}

#[test]
fn must_run_unit_cannot_follow_a_low_load() {
    let plan = parse_plan("[units.nuclear]\nunit_size_mw = 100\noperation = \"must_run\"\n");
    let res = plan_fn(&uc_grid(), &plan);
    assert!(
        matches!(res.status, Status::Infeasible | Status::Unbounded),
        "{res:?}"
    );
}

#[test]
fn ramp_limit_spreads_the_change() {
    // Load steps 80 -> 30; nuclear may fall 20 MW per hour, the rest is gas; block wraps.
    let sys = one_bus(
        vec![80.0, 80.0, 30.0, 30.0],
        vec![1.0; 4],
        4,
        vec![gen("nuclear", 100.0, false, 0.0, 10.0), {
            let mut g = gen("gas", 100.0, false, 0.0, 50.0);
            g.p_min_pu = vec![0.0];
            g
        }],
    );
    let plan = "[units.nuclear]\nramp_rate = 0.2\n";
    // Nuclear: 60?, best profile within ±20: h0 70? Solve by hand: n1 <= 80, n2 <= 30 forced by
    // load, n1 - n2 <= 20 -> n1 <= 50, n0 <= 70 (n0 - n3 wrap <= 20 with n3 <= 30 -> n0 <= 50).
    // So n = [50, 50, 30, 30]; gas = [30, 30, 0, 0].
    check(
        &sys,
        plan,
        (50.0 + 50.0 + 30.0 + 30.0) * 10.0 + 60.0 * 50.0,
        &[],
    );
}

#[test]
fn reserve_margin_with_capacity_credit() {
    // Peak 1000 MW, margin 20 %: 1200 MW of credited capacity. Wind credit 0.1.
    let sys = one_bus(
        vec![1000.0],
        vec![1.0],
        1,
        vec![
            gen("gas", 1000.0, false, 0.0, 50.0),
            gen("ocgt", 0.0, true, 100.0, 200.0),
        ],
    );
    let plan = "[[areas]]\nname = \"grid\"\nbuses = [\"grid\"]\nreserve_margin = 0.2\n";
    check(
        &sys,
        plan,
        200.0 * 100.0 + 1000.0 * 50.0,
        &[("ocgt", None, 200.0)],
    );
}

#[test]
fn empty_plan_is_the_plain_lp() {
    let sys = n1_grid();
    let res = plan_fn(&sys, &parse_plan(""));
    // Continuous capacities at PyPSA's cost: large at 500k/MW-year + 10/MWh costs 67.1/MWh at
    // full load, below the gas's 70/MWh, so it serves the whole 1600 MW and the gas stays idle.
    let expected = 1600.0 * 500_000.0 + 1600.0 * 10.0 * 8760.0;
    assert!(
        (res.objective - expected).abs() < 1e-6 * expected,
        "{}",
        res.objective
    );
    assert_eq!(res.integer_variables, 0);
}

#[test]
fn representative_days_reproduce_a_repetitive_year() {
    // 365 days of two shapes; 2 representative days must give the full-year objective.
    let day_a: Vec<f64> = (0..24)
        .map(|h| if h < 12 { 800.0 } else { 1200.0 })
        .collect();
    let day_b: Vec<f64> = vec![900.0; 24];
    let year: Vec<f64> = (0..365)
        .flat_map(|d| {
            if d % 3 == 0 {
                day_b.clone()
            } else {
                day_a.clone()
            }
        })
        .collect();
    let mut sys = one_bus(
        year,
        vec![1.0; 8760],
        8760,
        vec![
            gen("base", 0.0, true, 200_000.0, 10.0),
            gen("peak", 0.0, true, 50_000.0, 100.0),
        ],
    );
    // A year in sequence: `[aggregation]` clusters the snapshots of a system, not blocks of
    // its own.
    sys.chronology = Chronology::Sequential;
    let full = plan_fn(&sys, &parse_plan(""));
    let reduced = plan_fn(&sys, &parse_plan("[aggregation]\nrepresentatives = 2\n"));
    assert!((full.objective - reduced.objective).abs() < 1e-6 * full.objective);
    let agg = reduced.aggregation.unwrap();
    assert_eq!(agg.representatives, 2);
    assert!(agg.load_nrmse < 1e-9);
}

#[test]
fn planning_file_errors_name_the_key() {
    let (_, d) = load("[units.x]\nunit_size = 5\n", "p.toml");
    assert!(d[0].is_error() && d[0].location.line == Some(2), "{d:?}");
    let (_, d) = load(
        "[units.x]\ncommittable = true\nmin_stable_load = 1.5\n",
        "p.toml",
    );
    let fields: Vec<_> = d.iter().filter_map(|d| d.location.field.clone()).collect();
    assert!(
        fields.contains(&"units.x.committable".to_string()),
        "{fields:?}"
    );
    assert!(
        fields.contains(&"units.x.min_stable_load".to_string()),
        "{fields:?}"
    );
    let (_, d) = load(
        "[investment]\ndecision_year = 2025\nperiods = [2035, 2030]\ndiscount_rate = 0.05\n",
        "p.toml",
    );
    assert!(d
        .iter()
        .any(|d| d.location.field.as_deref() == Some("investment.periods")));
    let (_, d) = load(
        "[units.x]\nunit_size_mw = 5\nvendor = \"nobody\"\n",
        "p.toml",
    );
    assert!(d
        .iter()
        .any(|d| d.message.contains("unknown vendor `nobody`")));
    assert!(d
        .iter()
        .all(|d| d.location.file.as_deref() == Some("p.toml")));
}

#[test]
fn min_down_time_keeps_a_unit_off() {
    // Load 80, 30, 80, 30 (wrapping): a 100 MW unit with 50 % minimum stable load must be off at
    // 30 MW; with a 2-hour minimum down time it cannot come back at hour 2, so gas serves
    // 30 + 80 (+ 30) and the unit runs only at hour 0... or stays off: hand optimum below.
    // Options: on only at one 80-MW hour (off 3 hours, down time 3 >= 2): 80·10 + (30+80+30)·50 = 7,800.
    let sys = one_bus(
        vec![80.0, 30.0, 80.0, 30.0],
        vec![1.0; 4],
        4,
        vec![
            gen("nuclear", 100.0, false, 0.0, 10.0),
            gen("gas", 100.0, false, 0.0, 50.0),
        ],
    );
    let base = "[units.nuclear]\nunit_size_mw = 100\ncommittable = true\nmin_stable_load = 0.5\n";
    // Without the limit: on at both 80-MW hours: 160·10 + 60·50 = 4,600.
    check(&sys, base, 4600.0, &[]);
    check(&sys, &format!("{base}min_down_time = 2\n"), 7800.0, &[]);
    // A shut-down cost of 500 per shut-down: two shut-downs cost 1,000 -> 5,600, vs 7,800 with one.
    check(&sys, &format!("{base}shut_down_cost = 500\n"), 5600.0, &[]);
}

#[test]
fn co2_cap_forces_known_split() {
    // One bus, 100 MW flat load, one snapshot of 8,760 h; two periods of 5 years at r = 0.
    // Coal (20 USD/MWh, 1 t/MWh) and gas (50 USD/MWh, 0.4 t/MWh), 100 MW each, not extendable.
    // Uncapped, coal runs alone: 876,000 MWh and 876,000 t a year.
    // 2035 cap 613,200 t: c + 0.4 (876,000 - c) <= 613,200 gives c = 438,000 MWh (50 MW).
    let mut coal = gen("coal", 100.0, false, 0.0, 20.0);
    coal.co2_t_per_mwh = 1.0;
    let mut gas = gen("gas", 100.0, false, 0.0, 50.0);
    gas.co2_t_per_mwh = 0.4;
    let sys = one_bus(vec![100.0], vec![8760.0], 1, vec![coal, gas]);
    let base = r#"
[investment]
decision_year = 2030
periods = [2030, 2035]
discount_rate = 0.0
end_year = 2040
"#;
    let energy = |res: &PlanResult, g: &str, y: i32| {
        res.capacities
            .iter()
            .find(|c| c.generator == g && c.period == Some(y))
            .unwrap()
            .energy_mwh
    };
    let free = check(&sys, base, 876_000.0 * 20.0 * 10.0, &[]);
    assert_eq!(energy(&free, "coal", 2035), 876_000.0);
    assert_eq!(energy(&free, "gas", 2035), 0.0);

    let capped = format!("{base}co2_cap_t = [inf, 613200.0]\n");
    let objective = 876_000.0 * 20.0 * 5.0 + (438_000.0 * 20.0 + 438_000.0 * 50.0) * 5.0;
    let res = check(&sys, &capped, objective, &[]);
    assert_eq!(energy(&res, "coal", 2030), 876_000.0);
    assert!((energy(&res, "coal", 2035) - 438_000.0).abs() < 1e-3);
    assert!((energy(&res, "gas", 2035) - 438_000.0).abs() < 1e-3);

    // One row for the capped period only, named by its year.
    let lp = build_lp(&sys, &parse_plan(&capped));
    let names: Vec<String> = (0..lp.n_rows())
        .map(|r| lp.row_name(r))
        .filter(|n| n.starts_with("CO2-cap"))
        .collect();
    assert_eq!(names, ["CO2-cap[2035]"]);

    // A cap below what gas alone emits (350,400 t) is infeasible, not a panic.
    let tight = format!("{base}co2_cap_t = [inf, 300000.0]\n");
    let res = plan_fn(&sys, &parse_plan(&tight));
    assert_eq!(res.status, Status::Infeasible);
}

#[test]
fn co2_cap_length_and_sign_are_checked() {
    let text = r#"
[investment]
decision_year = 2030
periods = [2030, 2035]
discount_rate = 0.0
co2_cap_t = [-1.0]
"#;
    let (_, diags) = load(text, "plan.toml");
    let fields: Vec<_> = diags
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| d.location.field.clone())
        .collect();
    assert_eq!(fields, ["investment.co2_cap_t", "investment.co2_cap_t[0]"]);
}

// ---- storage (docs/formulation/planning-storage.md) ----

fn storage(name: &str, p_nom: f64, max_hours: f64, efficiency: f64) -> StorageUnit {
    StorageUnit {
        name: name.into(),
        bus: 0,
        p_nom,
        extendable: false,
        p_nom_min: 0.0,
        p_nom_max: f64::INFINITY,
        capital_cost: 0.0,
        marginal_cost: 0.0,
        marginal_cost_t: Vec::new(),
        max_hours,
        p_max_pu: 1.0,
        p_min_pu: -1.0,
        p_max_pu_t: Vec::new(),
        p_min_pu_t: Vec::new(),
        efficiency_store: efficiency,
        efficiency_dispatch: efficiency,
        standing_loss: 0.0,
        cyclic_state_of_charge: true,
        state_of_charge_initial: 0.0,
        inflow: Vec::new(),
        module: 0.0,
        sign: 1.0,
    }
}

/// Section "Seasonal storage across representative days": three days of 100 MW of surplus
/// (a free 200 MW plant against a 100 MW load) followed by three days without it (100 MW of
/// gas at 100 USD/MWh), and a 100 MW store with 90 % efficiency each way.
fn seasonal_grid(max_hours: f64) -> System {
    let mut free = gen("free", 200.0, false, 0.0, 0.0);
    free.p_max_pu = (0..6 * 24)
        .map(|t| if t < 72 { 1.0 } else { 0.0 })
        .collect();
    let mut sys = one_bus(
        vec![100.0; 6 * 24],
        vec![1.0; 6 * 24],
        6 * 24,
        vec![free, gen("gas", 100.0, false, 0.0, 100.0)],
    );
    sys.storage_units = vec![storage("store", 100.0, max_hours, 0.9)];
    sys.chronology = Chronology::Sequential;
    sys
}

#[test]
fn seasonal_storage_linked_across_representative_days() {
    // Roomy store (24,000 MWh): it takes the 7,200 MWh of surplus, keeps 6,480 MWh and gives
    // back 5,832 MWh in the three deficit days; gas covers 7,200 - 5,832 = 1,368 MWh.
    // Small store (2,000 MWh): 2,000 · 0.9 = 1,800 MWh back; gas 5,400 MWh.
    // Each representative day cyclic on its own: nothing moves between days; gas 7,200 MWh.
    for (max_hours, gas_mwh) in [(240.0, 1368.0), (20.0, 5400.0)] {
        let sys = seasonal_grid(max_hours);
        let objective = gas_mwh * 100.0;
        check(&sys, "", objective, &[]);
        let linked = check(&sys, "[aggregation]\nrepresentatives = 2\n", objective, &[]);
        let agg = linked.aggregation.unwrap();
        assert_eq!(agg.representatives, 2);
        check(
            &sys,
            "[aggregation]\nrepresentatives = 2\nstorage = \"cyclic\"\n",
            7200.0 * 100.0,
            &[],
        );
        // The same choice per unit.
        check(
            &sys,
            "[aggregation]\nrepresentatives = 2\n[storage.store]\nlinking = \"cyclic\"\n",
            7200.0 * 100.0,
            &[],
        );
        // Two investment periods of five years at r = 0: the same year ten times.
        check(
            &sys,
            "[aggregation]\nrepresentatives = 2\n[investment]\ndecision_year = 2030\nperiods = [2030, 2035]\ndiscount_rate = 0.0\nend_year = 2040\n",
            10.0 * objective,
            &[],
        );
    }
}

#[test]
fn linked_storage_with_representative_weeks_and_a_partial_last_week() {
    // 15 days: a surplus week, a deficit week and one more deficit day (a partial third week).
    // Surplus 7 · 2,400 = 16,800 MWh stored, 15,120 MWh kept, 13,608 MWh returned; deficit
    // 8 · 2,400 = 19,200 MWh; gas 5,592 MWh.
    let hours = 15 * 24;
    let mut free = gen("free", 200.0, false, 0.0, 0.0);
    free.p_max_pu = (0..hours)
        .map(|t| if t < 168 { 1.0 } else { 0.0 })
        .collect();
    let mut sys = one_bus(
        vec![100.0; hours],
        vec![1.0; hours],
        hours,
        vec![free, gen("gas", 100.0, false, 0.0, 100.0)],
    );
    sys.storage_units = vec![storage("store", 100.0, 240.0, 0.9)];
    sys.chronology = Chronology::Sequential;
    check(&sys, "", 559_200.0, &[]);
    let res = check(
        &sys,
        "[aggregation]\nperiod = \"week\"\nrepresentatives = 2\n",
        559_200.0,
        &[],
    );
    assert_eq!(res.aggregation.unwrap().period_hours, 168);
}

#[test]
fn linked_storage_bound_is_conservative_with_standing_loss() {
    // With standing loss the bounds on the inter-period state are sufficient, not exact:
    // the linked representative-day objective is at least the full year's and close to it.
    let mut sys = seasonal_grid(20.0);
    sys.storage_units[0].standing_loss = 0.001;
    let full = plan_fn(&sys, &parse_plan(""));
    let linked = plan_fn(&sys, &parse_plan("[aggregation]\nrepresentatives = 2\n"));
    assert_eq!(full.status, Status::Optimal);
    assert_eq!(linked.status, Status::Optimal);
    assert!(linked.objective >= full.objective - 1e-6 * full.objective);
    assert!(
        linked.objective <= 1.02 * full.objective,
        "{} vs {}",
        linked.objective,
        full.objective
    );
    assert!(full.objective < 7200.0 * 100.0);
}

#[test]
fn non_cyclic_storage_starts_from_its_initial_state() {
    // One deficit day: 100 MW load, 100 MW gas at 100 USD/MWh; the store starts with 900 MWh
    // and returns 900 · 0.9 = 810 MWh; gas 2,400 - 810 = 1,590 MWh.
    let mut sys = one_bus(
        vec![100.0; 24],
        vec![1.0; 24],
        24,
        vec![gen("gas", 100.0, false, 0.0, 100.0)],
    );
    let mut s = storage("store", 100.0, 10.0, 0.9);
    s.cyclic_state_of_charge = false;
    s.state_of_charge_initial = 900.0;
    sys.storage_units = vec![s];
    sys.chronology = Chronology::Sequential;
    check(&sys, "", 1590.0 * 100.0, &[]);
}

#[test]
fn extendable_storage_capacity_per_period() {
    // Two periods of 5 years at r = 0; load 100 MW for 12 h then 0 for 12 h (weights 1); free
    // solar only in the 12 empty hours, gas at 1,000 USD/MWh: a store of P = 100 MW and
    // E = 1,200 MWh (12 h, lossless) carries the solar over, built in 2030 and kept.
    let load: Vec<f64> = (0..24).map(|t| if t < 12 { 100.0 } else { 0.0 }).collect();
    let mut solar = gen("solar", 200.0, false, 0.0, 0.0);
    solar.p_max_pu = (0..24).map(|t| if t < 12 { 0.0 } else { 1.0 }).collect();
    let mut sys = one_bus(
        load,
        vec![1.0; 24],
        24,
        vec![solar, gen("gas", 100.0, false, 0.0, 1000.0)],
    );
    let mut s = storage("store", 0.0, 12.0, 1.0);
    s.extendable = true;
    s.capital_cost = 10.0;
    sys.storage_units = vec![s];
    let plan = r#"
[investment]
decision_year = 2030
periods = [2030, 2035]
discount_rate = 0.0
end_year = 2040
"#;
    // Built once in 2030 (100 MW), costed 10 per MW-year over 10 years.
    let res = check(&sys, plan, 100.0 * 10.0 * 10.0, &[]);
    let caps: Vec<(Option<i32>, f64, f64)> = res
        .storage
        .iter()
        .map(|r| (r.period, r.p_nom_opt_mw, r.built_mw))
        .collect();
    assert_eq!(caps, [(Some(2030), 100.0, 100.0), (Some(2035), 100.0, 0.0)]);
    assert_eq!(res.storage[0].dispatch_mwh, 1200.0);
}

/// A small year where storage matters: 8 weeks of hourly load, solar and wind, with a battery
/// and a long-duration store to build.
/// Costs are per MW for the 8 weeks; gas is expensive, so wind, solar and storage serve the load.
fn small_year() -> System {
    let days = 56;
    let hours = days * 24;
    let mut load = Vec::with_capacity(hours);
    let mut sun = Vec::with_capacity(hours);
    let mut wind = Vec::with_capacity(hours);
    for t in 0..hours {
        let (d, h) = ((t / 24) as f64, (t % 24) as f64);
        load.push(
            800.0
                + 150.0 * (std::f64::consts::PI * (h - 6.0) / 12.0).sin().max(0.0)
                + 100.0 * (2.0 * std::f64::consts::PI * d / 56.0).cos(),
        );
        let cloud = if (t / 24) % 5 == 3 { 0.3 } else { 1.0 };
        sun.push((std::f64::consts::PI * (h - 6.0) / 12.0).sin().max(0.0) * cloud);
        wind.push(0.35 + 0.3 * (2.0 * std::f64::consts::PI * d / 9.0).sin());
    }
    let mut solar = gen("solar", 0.0, true, 20_000.0, 0.0);
    solar.p_max_pu = sun;
    let mut onwind = gen("wind", 0.0, true, 30_000.0, 0.0);
    onwind.p_max_pu = wind;
    let mut sys = one_bus(
        load,
        vec![1.0; hours],
        hours,
        vec![solar, onwind, gen("gas", 0.0, true, 50_000.0, 200.0)],
    );
    let mut battery = storage("battery", 0.0, 4.0, 0.92);
    battery.extendable = true;
    battery.capital_cost = 3_000.0;
    let mut long = storage("long", 0.0, 200.0, 0.7);
    long.extendable = true;
    long.capital_cost = 3_000.0;
    sys.storage_units = vec![battery, long];
    sys.chronology = Chronology::Sequential;
    sys
}

#[test]
fn representative_days_with_storage_stay_close_to_the_full_year() {
    let sys = small_year();
    let full = plan_fn(&sys, &parse_plan(""));
    assert_eq!(full.status, Status::Optimal);
    let rel = |r: &PlanResult| (r.objective - full.objective) / full.objective;
    let linked = plan_fn(&sys, &parse_plan("[aggregation]\nrepresentatives = 8\n"));
    let cyclic = plan_fn(
        &sys,
        &parse_plan("[aggregation]\nrepresentatives = 8\nstorage = \"cyclic\"\n"),
    );
    // Measured: full 82,172,637; linked 81,014,942 (-1.41 %); cyclic 127,863,106 (+55.6 %):
    // without linking, the long-duration store cannot carry wind across days and is not built.
    assert!(rel(&linked).abs() < 0.03, "linked {}", rel(&linked));
    assert!(rel(&cyclic) > 0.2, "cyclic {}", rel(&cyclic));
    let long = |r: &PlanResult| r.storage[1].p_nom_opt_mw;
    assert!(long(&full) > 100.0 && long(&linked) > 100.0);
    assert_eq!(long(&cyclic), 0.0);
}

/// Section "Commitment from the initial status": 100 MW unit, minimum stable load 50 %, minimum
/// up time 3 h, start-up 1,000 USD; gas at 50 USD/MWh; load 60, 80, 80, 30, 30, 30 MW.
fn initial_status_grid(chronology: Chronology) -> System {
    let mut sys = one_bus(
        vec![60.0, 80.0, 80.0, 30.0, 30.0, 30.0],
        vec![1.0; 6],
        6,
        vec![
            gen("nuclear", 100.0, false, 0.0, 10.0),
            gen("gas", 100.0, false, 0.0, 50.0),
        ],
    );
    sys.chronology = chronology;
    sys
}

#[test]
fn commitment_starts_from_the_initial_status_in_a_sequential_year() {
    let unit = "[units.nuclear]\nunit_size_mw = 100\ncommittable = true\nmin_stable_load = 0.5\nmin_up_time = 3\nstart_up_cost = 1000\n";
    // Up before (default up_time_before = 1): on for hours 0-2 with no start-up,
    // 220 MWh at 10 + 90 MWh of gas at 50 = 6,700.
    check(
        &initial_status_grid(Chronology::Sequential),
        unit,
        6700.0,
        &[],
    );
    // Off before: the same schedule plus one start-up, 7,700.
    check(
        &initial_status_grid(Chronology::Sequential),
        &format!("{unit}up_time_before = 0\n"),
        7700.0,
        &[],
    );
    // Wrapping (a representative period): the unit is off at hour 5, so hour 0 is a start-up.
    check(&initial_status_grid(Chronology::Wrap), unit, 7700.0, &[]);
}

// ---- policy families (docs/formulation/planning.md, "Policy families") ----

/// Load 50 MW for 24 hours; existing gas (100 MW at 10 USD/MWh) and extendable wind at
/// 1,000 USD/MW and 0 USD/MWh. Without a limit wind is not worth it (50 MW would cost 50,000
/// against 12,000 of fuel); `min_mw = 30` forces 30 MW: 30,000 + 20 MW x 24 h x 10 = 34,800.
#[test]
fn capacity_limit_forces_a_build() {
    let sys = one_bus(
        vec![50.0; 24],
        vec![1.0; 24],
        24,
        vec![
            gen("gas", 100.0, false, 0.0, 10.0),
            gen("wind", 0.0, true, 1000.0, 0.0),
        ],
    );
    check(&sys, "", 12_000.0, &[("wind", None, 0.0)]);
    check(
        &sys,
        "[[capacity_limits]]\nname = \"target\"\ngenerators = [\"wind\"]\nmin_mw = 30\n",
        34_800.0,
        &[("wind", None, 30.0)],
    );
}

/// Gas at 10 and coal at 20 USD/MWh, load 100 MW for 24 h; gas may burn 1 unit per MWh and at
/// most 1,200 units a year: 1,200 MWh of gas and 1,200 of coal, 12,000 + 24,000 = 36,000.
#[test]
fn energy_limit_caps_a_fuel() {
    let sys = one_bus(
        vec![100.0; 24],
        vec![1.0; 24],
        24,
        vec![
            gen("gas", 200.0, false, 0.0, 10.0),
            gen("coal", 200.0, false, 0.0, 20.0),
        ],
    );
    let res = check(
        &sys,
        "[[energy_limits]]\nname = \"gas-supply\"\nuse_per_mwh = { gas = 1.0 }\nmax_per_year = [1200]\n",
        36_000.0,
        &[],
    );
    let gas = res
        .capacities
        .iter()
        .find(|c| c.generator == "gas")
        .unwrap();
    assert!((gas.energy_mwh - 1200.0).abs() < 1e-6, "{gas:?}");
}

/// An unknown generator in a policy section is refused before the solve.
#[test]
fn policy_sections_name_generators_of_the_system() {
    let sys = one_bus(
        vec![10.0],
        vec![1.0],
        1,
        vec![gen("gas", 100.0, false, 0.0, 10.0)],
    );
    let plan =
        parse_plan("[[capacity_limits]]\nname = \"t\"\ngenerators = [\"gass\"]\nmin_mw = 1\n");
    let error = super::plan(&sys, &plan).unwrap_err().to_string();
    assert!(
        error.contains("capacity_limits[0].generators") && error.contains("gass"),
        "{error}"
    );
}

/// Two generators at 10 and 20 USD/MWh, the cheap one capped at 30 MW, load 50 MW: the
/// marginal price is 20 in every hour.
#[test]
fn prices_are_the_marginal_cost_of_the_last_unit() {
    let sys = one_bus(
        vec![50.0; 4],
        vec![1.0; 4],
        4,
        vec![
            gen("cheap", 30.0, false, 0.0, 10.0),
            gen("dear", 100.0, false, 0.0, 20.0),
        ],
    );
    let res = check(&sys, "", 4.0 * (300.0 + 400.0), &[]);
    assert_eq!(res.prices.len(), 1);
    for p in &res.prices[0].hourly_usd_per_mwh {
        assert!((p - 20.0).abs() < 1e-6, "{res:?}");
    }
    assert!((res.prices[0].average_usd_per_mwh - 20.0).abs() < 1e-6);
}

/// Same with integer units (a MILP): the prices come from the LP with the units fixed. An
/// 80 MW unit-sized plant at 5 USD/MWh is built (1 unit, capital 100) and sets no price; the
/// 20 MW remainder of a 100 MW load comes from the 20 USD/MWh plant, which sets the price.
#[test]
fn milp_prices_come_from_the_fixed_integer_lp() {
    let sys = one_bus(
        vec![100.0; 2],
        vec![1.0; 2],
        2,
        vec![
            gen("unit", 0.0, true, 1.25, 5.0),
            gen("dear", 200.0, false, 0.0, 20.0),
        ],
    );
    let res = check(
        &sys,
        "[units.unit]\nunit_size_mw = 80\nmax_units = 1\n",
        100.0 + 2.0 * (80.0 * 5.0 + 20.0 * 20.0),
        &[("unit", None, 80.0)],
    );
    for p in &res.prices[0].hourly_usd_per_mwh {
        assert!((p - 20.0).abs() < 1e-6, "{res:?}");
    }
}

/// A CO2 cap no plan can meet: the elastic re-solve names the CO2 row and the shortfall.
/// One emitting plant (1 t/MWh) serves 10 MW for 10 hours = 100 t; the cap is 40 t.
#[test]
fn an_infeasible_cap_is_explained_by_its_row() {
    let mut coal = gen("coal", 100.0, false, 0.0, 10.0);
    coal.co2_t_per_mwh = 1.0;
    let sys = one_bus(vec![10.0; 10], vec![1.0; 10], 10, vec![coal]);
    let plan = parse_plan(
        "[investment]\ndecision_year = 2030\nperiods = [2030]\ndiscount_rate = 0.0\nend_year = 2031\nco2_cap_t = [40]\n",
    );
    let res = super::plan(&sys, &plan).unwrap();
    assert_eq!(res.status, Status::Infeasible);
    let findings = &res.diagnosis.as_ref().unwrap().findings;
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].family, "CO2-cap");
    assert_eq!(findings[0].component.as_deref(), Some("2030"));
    assert!((findings[0].amount.unwrap() - 60.0).abs() < 1e-6);
}

const TWO_PERIODS: &str = "[investment]\ndecision_year = 2030\nperiods = [2030, 2040]\ndiscount_rate = 0.0\nend_year = 2050\n";

/// Two ten-year periods at a zero discount rate (each weighs 10 years). Existing gas of 100 MW
/// with a fixed O&M of 1 USD/kW-yr serves a 50 MW load; retirable, half of it is retired at
/// once (kept 50 MW in both periods). Cost: 2 x 10 x (50 x 1,000 + 24 x 50 x 10) = 1,240,000
/// with 24 hours of weight 1 per modelled year.
#[test]
fn retirable_capacity_is_kept_only_where_needed() {
    let sys = one_bus(
        vec![50.0; 24],
        vec![1.0; 24],
        24,
        vec![gen("gas", 100.0, false, 0.0, 10.0)],
    );
    let plan = format!(
        "{TWO_PERIODS}[units.gas]\nexisting_fixed_om_usd_per_kw_year = 1.0\nretirable = true\n"
    );
    check(
        &sys,
        &plan,
        2.0 * 10.0 * (50.0 * 1000.0 + 24.0 * 50.0 * 10.0),
        &[("gas", Some(2030), 50.0), ("gas", Some(2040), 50.0)],
    );
    // Not retirable: the full 100 MW pays its fixed O&M.
    let plan = format!("{TWO_PERIODS}[units.gas]\nexisting_fixed_om_usd_per_kw_year = 1.0\n");
    check(
        &sys,
        &plan,
        2.0 * 10.0 * (100.0 * 1000.0 + 24.0 * 50.0 * 10.0),
        &[("gas", Some(2030), 100.0), ("gas", Some(2040), 100.0)],
    );
}

/// A committed plant (`online_year` 2040) is absent in 2030 and there in 2040; the build rate
/// of 2 MW/yr lets at most 20 MW of wind be built by 2030 (ten years after the decision year
/// 2020) and 20 MW more by 2040.
#[test]
fn online_year_and_build_rate() {
    let sys = one_bus(
        vec![30.0; 24],
        vec![1.0; 24],
        24,
        vec![
            gen("committed", 30.0, false, 0.0, 1.0),
            gen("wind", 0.0, true, 0.0, 0.0),
            gen("backup", 100.0, false, 0.0, 100.0),
        ],
    );
    let plan = "[investment]\ndecision_year = 2020\nperiods = [2030, 2040]\ndiscount_rate = 0.0\nend_year = 2050\n\n[units.committed]\nonline_year = 2040\n\n[units.wind]\nmax_build_mw_per_year = 2.0\n";
    let res = plan_fn(&sys, &parse_plan(plan));
    assert_eq!(res.status, Status::Optimal, "{res:?}");
    let caps = res.by_period();
    assert!((caps[&("committed".to_string(), Some(2030))] - 0.0).abs() < 1e-9);
    assert!((caps[&("committed".to_string(), Some(2040))] - 30.0).abs() < 1e-9);
    assert!((caps[&("wind".to_string(), Some(2030))] - 20.0).abs() < 1e-6);
    assert!(caps[&("wind".to_string(), Some(2040))] <= 40.0 + 1e-6);
}

/// `Options::resolve` puts every section at its component's index and applies the cross-section
/// default of storage linking.
#[test]
fn options_resolve_every_name_to_its_index() {
    let mut sys = n1_grid();
    sys.buses.push("island".into());
    sys.storage_units = vec![storage("a", 10.0, 4.0, 0.9), storage("b", 10.0, 4.0, 0.9)];
    let plan = parse_plan(
        r#"
[aggregation]
representatives = 2
storage = "cyclic"
[units.smr]
unit_size_mw = 55
vendor = "v"
[units.large]
unit_size_mw = 1200
[storage.b]
linking = "linked"
[vendors.v]
learning = [{ units = 2, overnight_cost_usd_per_kw = 9000 }, { overnight_cost_usd_per_kw = 6000 }]
[[areas]]
name = "north"
buses = ["island"]
[[capacity_limits]]
name = "cap"
generators = ["ocgt", "gas"]
max_mw = 100
"#,
    );
    let opt = options::Options::resolve(&sys, &plan).unwrap();
    let sizes: Vec<Option<f64>> = opt
        .units
        .iter()
        .map(|u| u.and_then(|u| u.unit_size_mw))
        .collect();
    assert_eq!(sizes, [None, Some(1200.0), Some(55.0), None]);
    assert_eq!(opt.vendor_of, [None, None, Some(0), None]);
    assert_eq!(opt.vendors[0].generators, [2]);
    assert!(opt.storage[0].is_none() && opt.storage[1].is_some());
    assert_eq!(
        opt.linking,
        [file::StorageLinking::Cyclic, file::StorageLinking::Linked]
    );
    assert_eq!(opt.area_of_bus, [None, Some(0)]);
    assert_eq!(opt.capacity_limits[0].generators, [3, 0]);
    assert_eq!(opt.periods.len(), 1);
}

/// A name the system does not have is refused with the key that names it, before any model is
/// built.
#[test]
fn options_refuse_unknown_names_with_their_key() {
    use super::NameKind;
    let mut sys = n1_grid();
    sys.storage_units = vec![storage("store", 10.0, 4.0, 0.9)];
    let cases = [
        ("[units.nuke]\nunit_size_mw = 100\n", "units.nuke", "nuke", NameKind::Generator),
        ("[storage.pond]\n", "storage.pond", "pond", NameKind::Storage),
        (
            "[[areas]]\nname = \"a\"\nbuses = [\"grid\", \"elsewhere\"]\n",
            "areas[0].buses",
            "elsewhere",
            NameKind::Bus,
        ),
        (
            "[[capacity_limits]]\nname = \"c\"\ngenerators = [\"gas\", \"coal\"]\nmin_mw = 1\n",
            "capacity_limits[0].generators",
            "coal",
            NameKind::Generator,
        ),
        (
            "[[energy_limits]]\nname = \"e\"\nuse_per_mwh = { lignite = 1.0 }\nmax_per_year = [5.0]\n",
            "energy_limits[0].use_per_mwh",
            "lignite",
            NameKind::Generator,
        ),
    ];
    for (text, key, name, kind) in cases {
        let plan = parse_plan(text);
        let expected = Error::UnknownName {
            key: key.to_owned(),
            name: name.to_owned(),
            kind,
        };
        assert_eq!(
            options::Options::resolve(&sys, &plan).unwrap_err(),
            expected,
            "{text}"
        );
        assert_eq!(super::plan(&sys, &plan).unwrap_err(), expected, "{text}");
    }
}

/// The file check of `solve --planning` lists every unknown name at once, with its key, by the
/// same rules as `Options::resolve` (which refuses the first).
#[test]
fn check_names_lists_every_unknown_name_with_its_key() {
    let sys = n1_grid();
    let plan = parse_plan(
        "[units.nuke]\nunit_size_mw = 100\n\n[[areas]]\nname = \"a\"\nbuses = [\"grid\", \"elsewhere\"]\n\n[[capacity_limits]]\nname = \"c\"\ngenerators = [\"gas\", \"coal\"]\nmin_mw = 1\n",
    );
    let diagnostics = super::network::check_names(&plan, &sys, "plan.toml");
    let fields: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.location.field.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        fields,
        [
            "units.nuke",
            "areas[0].buses",
            "capacity_limits[0].generators"
        ],
        "{diagnostics:?}"
    );
    assert_eq!(
        options::Options::resolve(&sys, &plan).unwrap_err(),
        options::unknown_names(&(&sys).into(), &plan).remove(0)
    );
}

/// Prices after the fact (`planning::prices`, for a caller that solves several plans and keeps
/// one) equal the prices of a solve that computes them, for a MILP and for an LP; a plan from
/// another model is refused.
#[test]
fn prices_after_the_fact_equal_prices_in_the_solve() {
    let milp = one_bus(
        vec![100.0; 2],
        vec![1.0; 2],
        2,
        vec![
            gen("unit", 0.0, true, 1.25, 5.0),
            gen("dear", 200.0, false, 0.0, 20.0),
        ],
    );
    let lp = one_bus(
        vec![50.0; 4],
        vec![1.0; 4],
        4,
        vec![
            gen("cheap", 30.0, false, 0.0, 10.0),
            gen("dear", 100.0, false, 0.0, 20.0),
        ],
    );
    for (sys, text) in [
        (&milp, "[units.unit]\nunit_size_mw = 80\nmax_units = 1\n"),
        (&lp, ""),
    ] {
        let priced = plan_fn(sys, &parse_plan(text));
        assert!(!priced.prices.is_empty());
        let mut plan = parse_plan(text);
        plan.solver.prices = false;
        let unpriced = plan_fn(sys, &plan);
        assert!(unpriced.prices.is_empty());
        assert_eq!(super::prices(sys, &plan, &unpriced).unwrap(), priced.prices);
    }
    let mut plan = parse_plan("");
    plan.solver.prices = false;
    let other = plan_fn(&lp, &plan);
    assert!(matches!(
        super::prices(
            &milp,
            &parse_plan("[units.unit]\nunit_size_mw = 80\nmax_units = 1\n"),
            &other
        ),
        Err(Error::Unsupported(_))
    ));
}
