//! Members who come back, as typed or sent: a coupon campaign's form (each field in turn
//! from the input, the rest good), an audience's query string, a message's text. Nothing
//! panics; a campaign accepted is within its bounds; an audience accepted reads back the
//! same from the query it writes; a message kept is 1 to 200 characters, trimmed.
#![no_main]

use app::domain::audience::{Audience, AudienceField, BODY_MAX, clean_body};
use app::domain::coupon::{Benefit, CampaignInput, MAX_TOTAL, Terms, parse_campaign};
use chrono::NaiveDate;
use cloud_store_fuzz::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(s) = text(data) else {
        return;
    };
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date");
    let good = CampaignInput {
        title: "周末券",
        kind: "amount",
        amount: "5",
        percent: "10",
        cap: "20",
        min_spend: "20",
        from: "2026-12-04",
        to: "2026-12-10",
        total: "100",
        per_member: "1",
    };
    let variants = [
        CampaignInput { title: s, ..good.clone() },
        CampaignInput { kind: s, ..good.clone() },
        CampaignInput { amount: s, ..good.clone() },
        CampaignInput { kind: "percent", percent: s, ..good.clone() },
        CampaignInput { kind: "percent", cap: s, ..good.clone() },
        CampaignInput { min_spend: s, ..good.clone() },
        CampaignInput { from: s, ..good.clone() },
        CampaignInput { to: s, ..good.clone() },
        CampaignInput { total: s, ..good.clone() },
        CampaignInput { per_member: s, ..good.clone() },
    ];
    for input in variants {
        if let Ok(c) = parse_campaign(&input, today) {
            assert!(c.from >= today && c.to >= c.from, "{s:?}");
            assert!((1..=MAX_TOTAL).contains(&c.total), "{s:?}");
            let title = c.title.chars().count();
            assert!((1..=30).contains(&title), "{s:?}");
            let terms = Terms {
                benefit: c.benefit,
                min_spend: c.min_spend,
                starts_at: 0,
                expires_at: 1,
                stores: vec![],
                categories: vec![],
            };
            // Whatever it is, it never takes off more than the goods.
            for total in [1, 999, 100_000] {
                let lines = [app::domain::coupon::CoveredLine { category: 1, total }];
                if let Ok(off) = terms.discount(1, &lines, 0) {
                    assert!((0..=total).contains(&off), "{s:?}");
                }
            }
            if let Benefit::PercentOff { percent, .. } = c.benefit {
                assert!((1..=90).contains(&percent));
            }
        }
    }
    let raw: Vec<(AudienceField, String)> = form_urlencoded::parse(s.as_bytes())
        .filter_map(|(k, v)| {
            let f = AudienceField::ALL.into_iter().find(|f| f.name() == k)?;
            Some((f, v.into_owned()))
        })
        .collect();
    if let Ok(a) = Audience::parse(&raw) {
        let again: Vec<(AudienceField, String)> = form_urlencoded::parse(a.to_query().as_bytes())
            .filter_map(|(k, v)| {
                let f = AudienceField::ALL.into_iter().find(|f| f.name() == k)?;
                Some((f, v.into_owned()))
            })
            .collect();
        assert_eq!(Audience::parse(&again), Ok(a), "{s:?}");
    }
    if let Ok(body) = clean_body(s) {
        let n = body.chars().count();
        assert!((1..=BODY_MAX).contains(&n) && body.trim() == body, "{s:?}");
    }
});
