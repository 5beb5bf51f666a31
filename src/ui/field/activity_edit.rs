//! Log or edit an activity in a few taps: today's date, this device's township and the last
//! organiser are filled in; "save and add another" keeps them.

use leptos::prelude::*;

use crate::domain::order::{natural_cmp, sort_by};
use crate::domain::{Activity, ActivityForm, ActivityKind, FieldErrors, Org, OrgKind, Person, RecordId, Venue};
use crate::storage::web;
use crate::ui::data;
use crate::ui::form::{edit_page, field, id_choice, Bind, Done, EditForm, Editor, OnSave, Opening, ParamsMap, Pending};
use crate::ui::photos::{self, ActivityPhotos, Unsaved};
use crate::ui::settings::{Recent, Settings};
use crate::ui::shell::router::back_or;
use crate::ui::widgets::{Choices, RecordSelect, TextArea, TextInput};
use participants::Participants;

mod participants;

#[component]
pub fn ActivityEdit() -> impl IntoView {
    let new = |query: &ParamsMap| {
        {
            let recent = Recent::load();
            // From a person's page: they took part, and the form goes back there.
            let participants: Vec<(RecordId, String)> = query
                .get("person")
                .and_then(|p| RecordId::parse(&p).ok())
                .map(|p| (p, String::new()))
                .into_iter()
                .collect();
            let back = back_or(query, "/log");
            // A link may ask for a kind (the station's "记一次授课"); else the last one used.
            let asked = query.get("kind").filter(|k| ActivityKind::from_key(k).is_some());
            let township = Settings::load().township;
            let initial = ActivityForm {
                kind: match asked {
                    Some(k) => k,
                    None if recent.activity_kind.is_empty() => ActivityKind::Lecture.key().into(),
                    None => recent.activity_kind,
                },
                date: web::today().to_string(),
                organiser: RecordId::parse(&recent.organiser).ok(),
                sessions: "1".into(),
                township,
                participants,
                ..ActivityForm::default()
            };
            if initial.organiser.is_some() || !initial.township.is_empty() {
                return view! { <Editor open=Opening::new(initial) back=back/> }.into_any();
            }
            // A county device (no township of its own) with nothing remembered: the service
            // centre organised it, the way the county reports its own work. Chosen before the
            // form opens, so it is where the form starts, not an edit its draft would keep.
            // Read once: a write elsewhere must not open the form again over what is typed.
            let orgs = LocalResource::new(data::list::<Org>);
            view! {
                {move || orgs.get().map(|found| {
                    let centre = found.ok().and_then(|list| {
                        list.iter().find(|o| !o.deleted && o.body.kind == OrgKind::ServiceCentre).map(|o| o.id.clone())
                    });
                    let initial = ActivityForm { organiser: centre, ..initial.clone() };
                    view! { <Editor open=Opening::new(initial) back=back.clone()/> }
                })}
            }
            .into_any()
        }
    };
    edit_page::<Activity>(false, new, |r| view! { <Editor open=Opening::of(&r, ActivityForm::from_activity)/> }.into_any())
}

#[component]
fn Editor(open: Opening<ActivityForm>, #[prop(default = "/log".into())] back: String) -> impl IntoView {
    let (form, ed, changed) = Editor::open::<Activity, _>(open, "activity", "活动", "theme");
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let kind = field!(form.kind);
    let organiser = id_choice(form, |f| &f.organiser, |f| &mut f.organiser);
    // Each participant's hours start at the default; until typed over, they follow it.
    let default_hours = RwSignal::new("2".to_owned());
    let unsaved = RwSignal::new_local(Vec::<Unsaved>::new());
    let training = move || kind.with(|k| k == ActivityKind::Training.key());

    let organisers = move || {
        orgs.with(|r| {
            let mut v: Vec<(String, String)> = r
                .as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|v| v.iter().filter(|o| !o.deleted).map(|o| (o.id.to_string(), o.body.name.clone())).collect())
                .unwrap_or_default();
            sort_by(&mut v, |a, b| natural_cmp(&a.1, &b.1));
            v
        })
    };
    // 保存, or 保存并继续: the next activity of the same kind, day, place and organiser.
    let save_id = ed.id();
    let save = move |again: bool| -> Result<Pending, FieldErrors> {
        let mut f = form.get_untracked();
        let fallback = default_hours.get_untracked();
        for (_, h) in f.participants.iter_mut().filter(|(_, h)| h.is_empty()) {
            h.clone_from(&fallback);
        }
        let activity = f.validate(web::today())?;
        Recent { organiser: organiser.get_untracked(), activity_kind: f.kind, ..Recent::load() }.save();
        let (id, back) = (save_id.clone(), back.clone());
        Ok(Box::pin(async move {
            let r = data::save(id, activity).await.map_err(|e| e.to_string())?;
            // A new activity's pictures are stored now that it has an id.
            let pictures = photos::take_unsaved(unsaved);
            let note = match pictures.len() {
                0 => String::new(),
                _ => match data::add_photos(&r.id, pictures).await {
                    Ok(n) => format!("，照片 {n} 张"),
                    Err(e) => format!("；照片没有保存：{e}"),
                },
            };
            if again {
                // Keep kind, date, place and organiser; clear what differs each time.
                form.update(|f| {
                    *f = ActivityForm {
                        kind: std::mem::take(&mut f.kind),
                        date: std::mem::take(&mut f.date),
                        township: std::mem::take(&mut f.township),
                        venue: std::mem::take(&mut f.venue),
                        organiser: f.organiser.take(),
                        sessions: "1".into(),
                        ..ActivityForm::default()
                    }
                });
            }
            let said = format!("已保存 {}{note}", r.body.theme);
            Ok(if again { Done::stay(said) } else { Done::leave(said, back) })
        }))
    };
    let on_save = {
        let save = save.clone();
        move || save(false)
    };
    let actions = ed.again_action(!ed.editing(), OnSave::from(move || save(true)));

    // A group of counts: (label, field name, binding) each.
    let numbers = move |title: &'static str, inputs: Vec<(&'static str, &'static str, Bind<String>)>| {
        let inputs = inputs.into_iter().map(|(label, field, value)| {
            view! { <TextInput label=label value=value error=ed.error(field) kind="text" inputmode="numeric" name=field/> }
        });
        view! { <section class="group numbers"><h2>{title}</h2>{inputs.collect_view()}</section> }
    };

    view! {
        <section class="page">
            <h1>{if ed.editing() { "编辑活动" } else { "记录活动" }}</h1>
            <EditForm editor=ed changed=changed on_save=on_save actions=actions>
                <Choices label="类型" required=true menu=true name="kind" value=kind error=ed.error("kind")
                    options=ActivityKind::ALL.iter().map(|k| (k.key(), k.label())).collect()/>
                <TextInput label="主题" required=true value=field!(form.theme) error=ed.error("theme") name="theme" placeholder="如：党史学习宣讲"/>
                <TextInput label="日期" required=true kind="date" max=web::today().to_string() name="date" value=field!(form.date) error=ed.error("date")/>
                <TextInput label="乡镇（街道）" required=true value=field!(form.township) error=ed.error("township") name="township"/>
                <TextInput label="村（社区）" value=field!(form.village)/>
                <Choices label="场所" name="venue" value=field!(form.venue) error=ed.error("venue")
                    options=Venue::ALL.iter().map(|v| (v.key(), v.label())).collect()/>
                <RecordSelect label="组织单位" none="（未指定）" value=organiser options=Signal::derive(organisers)/>
                <Participants form=form organiser=organiser default_hours=default_hours people=people orgs=orgs error=ed.error("participants")/>
                {numbers("数量", vec![
                    ("场次", "sessions", field!(form.sessions)),
                    ("受众/服务人次", "audience", field!(form.audience)),
                    ("受益人数", "beneficiaries", field!(form.beneficiaries)),
                    ("宣传册（份）", "leaflets", field!(form.leaflets)),
                    ("标语（条）", "slogans", field!(form.slogans)),
                ])}
                <Show when=training>
                    {numbers("培训成效", vec![
                        ("培训人数", "trainees", field!(form.trainees)),
                        ("培养乡土人才", "talents", field!(form.talents)),
                        ("自主发展", "self_employed", field!(form.self_employed)),
                        ("增收人数", "income_raised", field!(form.income_raised)),
                    ])}
                </Show>
                <ActivityPhotos activity=ed.id() unsaved=unsaved/>
                <TextArea label="备注" value=field!(form.notes)/>
            </EditForm>
        </section>
    }
}
