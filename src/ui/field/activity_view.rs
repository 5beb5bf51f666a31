//! One activity, read-only: what a tap in the log or on a person's page opens. 修改 opens the
//! form; 删除 sits apart from it, at the foot, and asks once.

use leptos::prelude::*;

use crate::domain::activity::format_hours;
use crate::domain::{Activity, Org, Person, Record, RecordId};
use crate::ui::data;
use crate::ui::form::{delete_and_leave, view_page, RecordPage};
use crate::ui::photos::ActivityPhotos;
use crate::ui::shell::router::{back_or, use_query_map, with_query, A};
use crate::ui::widgets::{app_state, fact};

#[component]
pub fn ActivityView() -> impl IntoView {
    view_page::<Activity>(|r| view! { <Shown record=r/> }.into_any())
}

#[component]
fn Shown(record: Record<Activity>) -> impl IntoView {
    let state = app_state();
    let people = data::resource::<Person>();
    let orgs = data::resource::<Org>();
    let back = use_query_map().with_untracked(|q| back_or(q, "/log"));
    let id = record.id.clone();
    let edit = with_query(&format!("/activities/{id}/edit"), &[("back", back.clone())]);
    let history = crate::ui::form::history_of(crate::sync::SyncKind::Activity, &record);
    let a = record.body;
    let name_of = move |p: &RecordId| {
        people.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|v| v.iter().find(|x| &x.id == p))
                .map(|x| x.body.name.clone())
        })
    };
    let organiser = a.organiser.clone();
    let organiser = move || {
        let id = organiser.clone()?;
        let name = orgs.with(|r| {
            r.as_ref()
                .and_then(|r| r.as_ref().ok())
                .and_then(|v| v.iter().find(|o| o.id == id))
                .map(|o| o.body.name.clone())
        })?;
        Some(view! { <dt>"组织单位"</dt><dd><A href=format!("/orgs/{id}")>{name}</A></dd> })
    };
    let participants = a.participants.clone();
    let who = move || {
        participants
            .iter()
            .map(|p| {
                let name = name_of(&p.person).unwrap_or_else(|| "（未在本机的人员）".into());
                let hours = format!(" {} 小时", format_hours(p.tenth_hours));
                view! { <li><A href=format!("/people/{}", p.person)>{name}</A><span class="muted">{hours}</span></li> }
            })
            .collect_view()
    };
    let place = [a.township.as_str(), a.village.as_str(), a.venue.map_or("", |v| v.label())]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    // A count of none says nothing: its line is left out.
    let n = |v: u32| if v == 0 { String::new() } else { v.to_string() };
    let delete = {
        let (id, back) = (id.clone(), back.clone());
        move |()| delete_and_leave::<Activity>(state, id.clone(), |a| a.theme.clone(), back.clone())
    };
    let unsaved = RwSignal::new_local(Vec::new());
    view! {
        <RecordPage title=a.theme.clone() edit=edit what="这条活动记录" on_delete=delete back=back.clone()>
            <p class="muted">{format!("{} · {}", a.kind.label(), a.date)}</p>
            <dl class="facts">
                {fact("地点", place)}
                {organiser}
                {fact("场次", n(a.sessions))}
                {fact("受众/服务人次", n(a.audience))}
                {fact("受益人数", n(a.beneficiaries))}
                {fact("宣传册（份）", n(a.leaflets))}
                {fact("标语（条）", n(a.slogans))}
                {fact("培训人数", n(a.trainees))}
                {fact("培养乡土人才", n(a.talents))}
                {fact("自主发展", n(a.self_employed))}
                {fact("增收人数", n(a.income_raised))}
                {fact("备注", a.notes.clone())}
            </dl>
            <h2>{format!("参加的老干部（{}）", a.participants.len())}</h2>
            <ul class="plain">{who}</ul>
            <ActivityPhotos activity=Some(id) unsaved=unsaved/>
            {history}
        </RecordPage>
    }
}
