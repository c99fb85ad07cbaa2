//! Who a user is in the system (global roles) and on one review (assignments),
//! and the capacities in which the access policy is written.

macro_rules! str_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $v:ident => $s:literal, $title:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $name { $($(#[$vm])* $v,)* }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$v,)*];

            /// The stable name stored in the database and used on the command line.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s,)* }
            }

            /// The name people use for it.
            pub fn title(self) -> &'static str {
                match self { $(Self::$v => $title,)* }
            }

            /// Parses the stable name (`as_str`).
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some(Self::$v),)* _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;

str_enum! {
    /// A role held across the system, granted to a user for a board or an agency.
    pub enum Role {
        BoardChair => "board_chair", "Board Chair";
        BusinessManager => "business_manager", "Business Manager";
        InitialPanelMember => "initial_panel_member", "Initial SCR Panel member";
        AgencyManager => "agency_manager", "Agency manager";
        Professional => "professional", "Professional";
        PerformanceSubGroup => "performance_sub_group", "Performance sub-group";
        Inspector => "inspector", "Inspector";
        PartnerBoard => "partner_board", "Partner board";
        SystemAdministrator => "system_administrator", "System administrator";
        ReportingAnalyst => "reporting_analyst", "Reporting analyst (read-only)";
    }
}

str_enum! {
    /// A part a user plays on one review.
    pub enum Assignment {
        PanelChair => "panel_chair", "SCR Panel chair";
        PanelMember => "panel_member", "SCR Panel member";
        OverviewAuthor => "overview_author", "Overview author";
        ImrAuthor => "imr_author", "IMR author";
        DesignatedProfessional => "designated_professional", "Designated professional";
        ActionOwner => "action_owner", "Action owner";
    }
}

impl Role {
    /// Whether a grant of this role names a board (as opposed to an agency or nothing).
    pub fn is_board_role(self) -> bool {
        matches!(
            self,
            Role::BoardChair
                | Role::BusinessManager
                | Role::InitialPanelMember
                | Role::PerformanceSubGroup
                | Role::PartnerBoard
                | Role::ReportingAnalyst
        )
    }

    /// Whether a grant of this role names an agency.
    pub fn is_agency_role(self) -> bool {
        matches!(self, Role::AgencyManager)
    }
}

str_enum! {
    /// The capacity in which a user acts on a review: the rows of the access policy.
    /// A global role or an assignment becomes a capacity through a row-scope reason
    /// (see `policy::capacities`).
    pub enum Capacity {
        BoardChair => "board_chair", "Board Chair";
        BusinessManager => "business_manager", "Business Manager";
        InitialPanelMember => "initial_panel_member", "Initial SCR Panel member";
        PanelChair => "panel_chair", "SCR Panel chair";
        PanelMember => "panel_member", "SCR Panel member";
        OverviewAuthor => "overview_author", "Overview author";
        ImrAuthor => "imr_author", "IMR author";
        DesignatedProfessional => "designated_professional", "Designated professional";
        AgencyManager => "agency_manager", "Agency manager (involved agency)";
        Referrer => "referrer", "Referring professional";
        ActionOwner => "action_owner", "Action owner";
        PerformanceSubGroup => "performance_sub_group", "Performance sub-group";
        Inspector => "inspector", "Inspector";
        PartnerBoard => "partner_board", "Partner board";
        ReportingAnalyst => "reporting_analyst", "Reporting analyst (read-only)";
        SystemAdministrator => "system_administrator", "System administrator";
    }
}

impl From<Assignment> for Capacity {
    fn from(a: Assignment) -> Self {
        match a {
            Assignment::PanelChair => Capacity::PanelChair,
            Assignment::PanelMember => Capacity::PanelMember,
            Assignment::OverviewAuthor => Capacity::OverviewAuthor,
            Assignment::ImrAuthor => Capacity::ImrAuthor,
            Assignment::DesignatedProfessional => Capacity::DesignatedProfessional,
            Assignment::ActionOwner => Capacity::ActionOwner,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_stable_name() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(*r));
        }
        for a in Assignment::ALL {
            assert_eq!(Assignment::parse(a.as_str()), Some(*a));
        }
        for c in Capacity::ALL {
            assert_eq!(Capacity::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn roles_serialise_as_graphql_style_constants() {
        assert_eq!(serde_json::to_string(&Role::BoardChair).unwrap(), "\"BOARD_CHAIR\"");
    }
}
