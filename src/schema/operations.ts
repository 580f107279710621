/**
 * The complete `recognizeKtp` selection: every field of both union members. The CLI prints the
 * result of exactly this operation, so its JSON is the GraphQL result a client would get.
 */
export const RECOGNIZE_KTP_OPERATION = /* GraphQL */ `
  mutation RecognizeKtp($image: Upload!) {
    recognizeKtp(image: $image) {
      __typename
      ... on KtpIdentity {
        nik
        name
        birthPlace
        birthDate
        gender
        bloodType
        address {
          street rt rw village district city province
          region {
            province { code name match }
            regency { code name match }
            district { code name match }
            village { code name match }
          }
        }
        religion
        maritalStatus
        occupation
        occupationMatch { official code officialName match }
        nationality
        validForLife
        validUntil
        issueCity
        issueDate
        nikCheck {
          valid problems warnings
          provinceCode regencyCode districtCode provinceName regencyName districtName
          birthDate gender serial birthDateMatchesCard genderMatchesCard
        }
        confidence { field confidence }
        fieldBoxes { field box { x y width height } }
        portrait { x y width height }
        fieldWarnings { field message }
        raw {
          id name pob dob gender address rt rw village district city province
          religion marital_status work nationnality blood_type valid_until issue_city issue_date
        }
        cached
        charged
        contentHash
      }
      ... on OcrError { code message charged retryable cached contentHash }
    }
  }
`;
