use super::ahp::{
    evaluate, pairwise_priorities, AhpChildren, AhpNode, RandomIndexTable, Synthesis,
};
use super::sensitivity::{
    rank_reversal, reweighted, weight_monte_carlo, weight_sensitivity, MonteCarloSettings,
};
use super::*;
use crate::assess::rank_descending;

const TOLERANCE: f64 = 1e-6;

fn assert_close(actual: &[f64], expected: &[f64], tolerance: f64) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= tolerance, "{actual:?} vs {expected:?}");
    }
}

/// E4: pymcdm README example.
fn e4() -> Problem {
    Problem {
        matrix: vec![
            vec![4.0, 4.0],
            vec![1.0, 5.0],
            vec![3.0, 2.0],
            vec![4.0, 2.0],
        ],
        weights: vec![0.5, 0.5],
        directions: vec![Direction::Max, Direction::Min],
    }
}

fn check_topsis(normalization: Normalization, expected: &[f64]) {
    let scores = topsis::topsis(&e4(), normalization).unwrap();
    assert_close(&scores, expected, TOLERANCE);
    assert_eq!(rank_descending(&scores), vec![3, 2, 0, 1]);
}

#[test]
fn e4_topsis_vector() {
    check_topsis(Normalization::Vector, &[0.629_023, 0.0, 0.773_889, 1.0]);
}

#[test]
fn e4_topsis_min_max() {
    check_topsis(Normalization::MinMax, &[0.612_574, 0.0, 0.782_871, 1.0]);
}

/// Issue 16: values near 1e308 overflowed the vector norm (x² = inf) and inverted the ranking.
/// Scaling a column changes no normalisation, so E4 scaled to near f64::MAX (and to tiny
/// values) must give E4's own scores under every normalisation.
#[test]
fn topsis_scores_do_not_change_when_columns_are_scaled_to_extremes() {
    for normalization in [
        Normalization::Vector,
        Normalization::MinMax,
        Normalization::LinearMax,
        Normalization::Sum,
    ] {
        let base = topsis::topsis(&e4(), normalization).unwrap();
        for factor in [1e307, 3e-306] {
            let mut problem = e4();
            for row in &mut problem.matrix {
                for value in row.iter_mut() {
                    *value *= factor;
                }
            }
            let scores = topsis::topsis(&problem, normalization).unwrap();
            assert_close(&scores, &base, 1e-9);
            assert_eq!(rank_descending(&scores), rank_descending(&base));
        }
    }
}

#[test]
fn topsis_all_identical_is_undefined() {
    let problem = Problem {
        matrix: vec![vec![1.0, 2.0], vec![1.0, 2.0]],
        weights: vec![0.5, 0.5],
        directions: vec![Direction::Max, Direction::Min],
    };
    assert!(matches!(
        topsis::topsis(&problem, Normalization::Vector),
        Err(Error::Undefined { .. })
    ));
}

fn drinks() -> Vec<Vec<f64>> {
    let rows = [
        [1.0, 9.0, 5.0, 2.0, 1.0, 1.0, 1.0 / 2.0],
        [
            1.0 / 9.0,
            1.0,
            1.0 / 3.0,
            1.0 / 9.0,
            1.0 / 9.0,
            1.0 / 9.0,
            1.0 / 9.0,
        ],
        [
            1.0 / 5.0,
            3.0,
            1.0,
            1.0 / 3.0,
            1.0 / 4.0,
            1.0 / 3.0,
            1.0 / 9.0,
        ],
        [1.0 / 2.0, 9.0, 3.0, 1.0, 1.0 / 2.0, 1.0, 1.0 / 3.0],
        [1.0, 9.0, 4.0, 2.0, 1.0, 2.0, 1.0 / 2.0],
        [1.0, 9.0, 3.0, 1.0, 1.0 / 2.0, 1.0, 1.0 / 3.0],
        [2.0, 9.0, 9.0, 3.0, 2.0, 3.0, 1.0],
    ];
    rows.iter().map(|row| row.to_vec()).collect()
}

fn check_drinks(table: RandomIndexTable, expected_cr: f64) {
    let result = pairwise_priorities(&drinks(), table, "drinks").unwrap();
    assert_close(
        &result.priorities,
        &[
            0.177_457, 0.019_149, 0.041_831, 0.116_417, 0.189_572, 0.128_781, 0.326_793,
        ],
        TOLERANCE,
    );
    assert!(
        (result.lambda_max - 7.176_629).abs() < TOLERANCE,
        "{}",
        result.lambda_max
    );
    assert!((result.ci - 0.029_438).abs() < TOLERANCE, "{}", result.ci);
    assert!(
        (result.cr.unwrap() - expected_cr).abs() < TOLERANCE,
        "{:?}",
        result.cr
    );
}

#[test]
fn e3_ahp_drinks_saaty_1980() {
    check_drinks(RandomIndexTable::Saaty1980, 0.022_302);
}

#[test]
fn e3_ahp_drinks_saaty_later() {
    check_drinks(RandomIndexTable::SaatyLater, 0.021_806);
}

#[test]
fn e3_ahp_drinks_donegan_dodd() {
    check_drinks(RandomIndexTable::DoneganDodd, 0.023_515);
}

#[test]
fn ahp_rounded_reciprocals_are_repaired() {
    let mut matrix = drinks();
    matrix[1][2] = 0.333;
    matrix[0][6] = 0.5;
    let result = pairwise_priorities(&matrix, RandomIndexTable::Saaty1980, "drinks").unwrap();
    assert!((result.priorities[6] - 0.326_793).abs() < TOLERANCE);
}

#[test]
fn ahp_non_reciprocal_is_rejected() {
    let matrix = vec![vec![1.0, 3.0], vec![3.0, 1.0]];
    let error = pairwise_priorities(
        &matrix,
        RandomIndexTable::Saaty1980,
        "ahp.criteria_pairwise",
    )
    .unwrap_err();
    assert!(
        matches!(error, Error::NonReciprocal { row: 0, col: 1, .. }),
        "{error}"
    );
    assert_eq!(error.key(), Some("ahp.criteria_pairwise"));
}

#[test]
fn ahp_two_by_two_has_zero_cr() {
    let result = pairwise_priorities(
        &[vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]],
        RandomIndexTable::Saaty1980,
        "m",
    )
    .unwrap();
    assert_close(&result.priorities, &[0.75, 0.25], 1e-12);
    assert_eq!(result.cr, Some(0.0));
    assert!((result.lambda_max - 2.0).abs() < 1e-12);
}

#[test]
fn ahp_consistent_matrix_has_lambda_n() {
    // w = (0.5, 0.3, 0.2): a_ij = w_i / w_j.
    let weights = [0.5, 0.3, 0.2];
    let matrix: Vec<Vec<f64>> = weights
        .iter()
        .map(|wi| weights.iter().map(|wj| wi / wj).collect())
        .collect();
    let result = pairwise_priorities(&matrix, RandomIndexTable::Saaty1980, "m").unwrap();
    assert_close(&result.priorities, &weights, 1e-12);
    assert!(result.ci.abs() < 1e-12);
}

#[test]
fn ahp_hierarchy_synthesis() {
    // Two criteria 3:1; alternatives compared under each; the second criterion has sub-criteria.
    let alternatives = vec!["A".to_owned(), "B".to_owned()];
    let leaf = |name: &str, a_over_b: f64| AhpNode {
        name: name.to_owned(),
        pairwise: vec![vec![1.0, a_over_b], vec![1.0 / a_over_b, 1.0]],
        children: AhpChildren::Alternatives,
    };
    let goal = AhpNode {
        name: "goal".to_owned(),
        pairwise: vec![vec![1.0, 3.0], vec![1.0 / 3.0, 1.0]],
        children: AhpChildren::Criteria(vec![
            leaf("cost", 1.0 / 4.0),
            AhpNode {
                name: "risk".to_owned(),
                pairwise: vec![vec![1.0, 1.0], vec![1.0, 1.0]],
                children: AhpChildren::Criteria(vec![leaf("fuel", 4.0), leaf("politics", 1.0)]),
            },
        ]),
    };
    let result = evaluate(
        &goal,
        &alternatives,
        RandomIndexTable::Saaty1980,
        Synthesis::Distributive,
    )
    .unwrap();
    // A: 0.75·0.2 + 0.25·(0.5·0.8 + 0.5·0.5) = 0.15 + 0.1625 = 0.3125.
    assert_close(&result.scores, &[0.3125, 0.6875], 1e-12);
    assert_eq!(result.nodes.len(), 5);
    assert_eq!(result.leaf_weights[1], ("fuel".to_owned(), 0.125));
}

#[test]
fn weighted_sum_linear_max_by_hand() {
    // Benefit x/max and cost min/x: A1 = 0.5·1 + 0.5·0.5 = 0.75, A3 = 0.5·0.75 + 0.5·1 = 0.875.
    let scores = wsm::weighted_sum(&e4(), Normalization::LinearMax).unwrap();
    assert_close(&scores, &[0.75, 0.5 * 0.25 + 0.5 * 0.4, 0.875, 1.0], 1e-12);
}

#[test]
fn weights_are_normalised_inside() {
    let mut problem = e4();
    problem.weights = vec![2.0, 2.0];
    let scores = topsis::topsis(&problem, Normalization::Vector).unwrap();
    assert_close(&scores, &[0.629_023, 0.0, 0.773_889, 1.0], TOLERANCE);
}

#[test]
fn linear_max_rejects_zero_cost() {
    let mut problem = e4();
    problem.matrix[0][1] = 0.0;
    let error = wsm::weighted_sum(&problem, Normalization::LinearMax).unwrap_err();
    assert_eq!(error.key(), Some("matrix[..][1]"));
}

#[test]
fn shape_errors_name_the_row() {
    let mut problem = e4();
    problem.matrix[2].push(1.0);
    let error = wsm::weighted_sum(&problem, Normalization::LinearMax).unwrap_err();
    assert_eq!(error.key(), Some("matrix[2]"));
}

fn check_preference(function: PreferenceFunction, cases: &[(f64, f64)]) {
    for (d, expected) in cases {
        assert!(
            (function.preference(*d) - expected).abs() < 1e-12,
            "{function:?} at {d}"
        );
    }
}

#[test]
fn preference_functions() {
    check_preference(
        PreferenceFunction::Usual,
        &[(-1.0, 0.0), (0.0, 0.0), (0.1, 1.0)],
    );
    check_preference(
        PreferenceFunction::UShape { q: 1.0 },
        &[(1.0, 0.0), (1.1, 1.0)],
    );
    check_preference(
        PreferenceFunction::VShape { p: 2.0 },
        &[(1.0, 0.5), (3.0, 1.0)],
    );
    check_preference(
        PreferenceFunction::Level { q: 1.0, p: 2.0 },
        &[(0.5, 0.0), (1.5, 0.5), (2.5, 1.0)],
    );
    check_preference(
        PreferenceFunction::Linear { q: 1.0, p: 3.0 },
        &[(1.0, 0.0), (2.0, 0.5), (4.0, 1.0)],
    );
    check_preference(
        PreferenceFunction::Gaussian { s: 1.0 },
        &[(0.0, 0.0), (1.0, 1.0 - (-0.5_f64).exp())],
    );
}

#[test]
fn unknown_preference_function_names_the_key() {
    let error =
        PreferenceFunction::from_parts("sigmoid", None, None, None, "criteria[1]").unwrap_err();
    assert_eq!(error.key(), Some("criteria[1].preference"));
    let error =
        PreferenceFunction::from_parts("linear", Some(1.0), None, None, "criteria[0]").unwrap_err();
    assert_eq!(error.key(), Some("criteria[0].p"));
}

#[test]
fn promethee_by_hand() {
    // Usual functions on E4: pairwise wins counted per criterion.
    let functions = vec![PreferenceFunction::Usual; 2];
    let result = promethee::promethee2(&e4(), &functions).unwrap();
    // A4 (4,2): beats A2, A3 on c1 (A1 tie) and A1, A2 on c2 (A3 tie): φ+ = 0.5·(2+2)/3 = 2/3; φ− = 0.
    assert!((result.positive_flows[3] - 2.0 / 3.0).abs() < 1e-12);
    assert!(result.negative_flows[3].abs() < 1e-12);
    assert!(result.net_flows.iter().sum::<f64>().abs() < 1e-12);
    // A1 and A3 tie at 1/6: each wins three criterion comparisons and loses two.
    assert_close(
        &result.net_flows,
        &[1.0 / 6.0, -1.0, 1.0 / 6.0, 2.0 / 3.0],
        1e-12,
    );
    assert_eq!(result.promethee1(3, 0), Some(std::cmp::Ordering::Greater));
}

#[test]
fn reweighting_keeps_ratios() {
    assert_close(
        &reweighted(&[0.5, 0.3, 0.2], 0, 0.8),
        &[0.8, 0.12, 0.08],
        1e-12,
    );
}

#[test]
fn weight_sensitivity_of_weighted_sum_finds_analytic_crossing() {
    // Two alternatives, two benefit criteria: A = (1, 0.5), B = (0.5, 1) after linear-max.
    // Score A(x) = x + 0.5(1 − x), B(x) = 0.5x + (1 − x): equal at x = 0.5.
    let problem = Problem {
        matrix: vec![vec![2.0, 1.0], vec![1.0, 2.0]],
        weights: vec![0.7, 0.3],
        directions: vec![Direction::Max, Direction::Max],
    };
    let result =
        weight_sensitivity(&problem, &Method::WeightedSum(Normalization::LinearMax)).unwrap();
    let first = &result[0];
    assert_eq!(first.crossings.len(), 1);
    assert!((first.crossings[0].weight - 0.5).abs() < 1e-8);
    assert!((first.winner_interval.0 - 0.5).abs() < 1e-8);
    assert!((first.winner_interval.1 - 1.0).abs() < 1e-12);
    assert!((first.smallest_change_to_flip_winner.unwrap() - 0.2).abs() < 1e-8);
}

#[test]
fn winner_switches_name_the_weight_and_the_new_winner() {
    // As above: A leads while the weight on criterion 0 is above 0.5 (analytic crossing).
    let names = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let check = |weights: Vec<f64>, fragile: bool| {
        let problem = Problem {
            matrix: vec![vec![2.0, 1.0], vec![1.0, 2.0]],
            weights: weights.clone(),
            directions: vec![Direction::Max, Direction::Max],
        };
        let method = Method::WeightedSum(Normalization::LinearMax);
        let result = weight_sensitivity(&problem, &method).unwrap();
        let switches =
            sensitivity::winner_switches(&result, &names(&["c0", "c1"]), &names(&["A", "B"]));
        assert_eq!(switches[0].criterion, "c0");
        assert!((switches[0].lower.unwrap() - 0.5).abs() < 1e-8);
        assert_eq!(switches[0].lower_winner.as_deref(), Some("B"));
        assert_eq!(switches[0].upper, None);
        assert!((switches[1].upper.unwrap() - 0.5).abs() < 1e-8);
        assert_eq!(switches[1].upper_winner.as_deref(), Some("B"));
        assert!((switches[0].nearest_change().unwrap() - (weights[0] - 0.5)).abs() < 1e-8);
        assert_eq!(switches[0].is_fragile(), fragile);
        assert_eq!(switches[1].is_fragile(), fragile);
    };
    check(vec![0.7, 0.3], false);
    // 0.53 is 0.03 above the crossing: within FRAGILE_WEIGHT_CHANGE.
    check(vec![0.53, 0.47], true);
}

#[test]
fn rank_reversal_reports_only_real_reversals() {
    let problem = e4();
    let method = Method::Topsis(Normalization::Vector);
    let dominated = sensitivity::dominated_alternative(&problem);
    assert_eq!(dominated, vec![1.0, 5.0]);
    let reversals = rank_reversal(&problem, &method, Some(&dominated)).unwrap();
    for reversal in &reversals {
        assert!(!reversal.reversed_pairs.is_empty());
    }
}

#[test]
fn monte_carlo_is_identical_for_any_thread_count() {
    let problem = e4();
    let method = Method::Topsis(Normalization::Vector);
    let settings = MonteCarloSettings {
        n_samples: 2_000,
        ..MonteCarloSettings::default()
    };
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| weight_monte_carlo(&problem, &method, &settings).unwrap())
    };
    let one = run(1);
    assert_eq!(one, run(3));
    let shares: f64 = one.rank_acceptability.iter().map(|row| row[0]).sum();
    assert!((shares - 1.0).abs() < 1e-12);
    // A2 is dominated by A4 and never first.
    assert_eq!(one.rank_acceptability[1][0], 0.0);
}

#[test]
fn template_weights_sum_to_one() {
    let template = template::vendor_template();
    assert_eq!(template.len(), 8);
    assert!(
        (template
            .iter()
            .map(|criterion| criterion.weight)
            .sum::<f64>()
            - 1.0)
            .abs()
            < 1e-12
    );
}
